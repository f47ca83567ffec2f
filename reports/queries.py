"""The figures the city reads: aggregates over a period, grouped by one dimension.

Every figure is a grouped aggregate in the database (one query per measure, whatever the
data size); labels for the groups come from small lookup tables.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    District,
    Industry,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
)
from certificates.models import Certificate
from courses.models import (
    AttemptStatus,
    Audience,
    CoursePage,
    Enrolment,
    QuizAttempt,
    QuizPage,
    Subject,
)
from courses.tree import course_path_of, courses_by_unit_path

ENTERPRISE = "user__memberships__organisation__"
TENTH = Decimal("0.1")
NOT_GIVEN = _("Not given")


@dataclass(frozen=True)
class Dimension:
    label: str
    # The grouping field, as seen from an enrolment or a certificate (both have user, course).
    lookup: str
    enterprise_only: bool = False
    # Whether the grouping join can meet one enrolment more than once in a group.
    multi_valued: bool = False
    # The same grouping seen from a certificate, where it differs from ``lookup``.
    certificate_lookup: str = ""
    # Whether a quiz attempt is grouped by ``lookup`` on the learner's enrolment in the course.
    through_enrolment: bool = False


DIMENSIONS = {
    # Where the training counts, stored on the enrolment (courses/districts.py); a
    # certificate and a quiz attempt count where the enrolment they belong to does.
    "district": Dimension(
        _("District"),
        "district",
        certificate_lookup="enrolment__district",
        through_enrolment=True,
    ),
    "industry": Dimension(
        _("Industry"), ENTERPRISE + "industry", enterprise_only=True, multi_valued=True
    ),
    "size": Dimension(
        _("Enterprise size"), ENTERPRISE + "size", enterprise_only=True, multi_valued=True
    ),
    "audience": Dimension(_("Audience"), "user__audience"),
    "subject": Dimension(_("Subject"), "course__subjects__slug", multi_valued=True),
    "course": Dimension(_("Course"), "course_id"),
}


def bounds(start, end):
    """[start 00:00, the day after end 00:00) in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), zone),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), zone),
    )


def _scoped(queryset, dimension):
    if dimension.enterprise_only:
        queryset = queryset.filter(
            user__memberships__organisation__kind=OrganisationKind.ENTERPRISE
        )
    return queryset


def _grouped(queryset, lookup, **aggregates):
    rows = queryset.order_by().values(key=F(lookup)).annotate(**aggregates)
    return {row.pop("key"): row for row in rows}


def labels(by):
    if by == "district":
        return dict(District.choices)
    if by == "industry":
        return dict(Industry.choices)
    if by == "size":
        return dict(OrganisationSize.choices)
    if by == "audience":
        return {term.slug: term.label for term in Audience.objects.all()}
    if by == "subject":
        return {term.slug: term.label for term in Subject.objects.all()}
    return dict(CoursePage.objects.values_list("pk", "title"))


def quiz_courses():
    """{quiz id: course id}: a quiz's course is its parent page, found by tree path."""
    quizzes = list(QuizPage.objects.values_list("pk", "path"))
    courses = courses_by_unit_path(CoursePage.objects, (path for _pk, path in quizzes), "pk")
    return {pk: courses[path] for pk, path in quizzes}


def _pass_rates_by_enrolment(since, until, lookup):
    """Finished attempts grouped by a field of the enrolment they belong to: the learner's
    enrolment in the quiz's course, the quiz's parent page (its path less one step). One
    join, not a lookup per attempt; an attempt without an enrolment is not counted."""
    attempt = "user__quiz_attempts__"
    rows = (
        Enrolment.objects.filter(
            **{
                attempt + "status": AttemptStatus.FINISHED,
                attempt + "submitted_at__gte": since,
                attempt + "submitted_at__lt": until,
            }
        )
        .alias(quiz_course_path=course_path_of(attempt + "quiz__path"))
        .filter(quiz_course_path=F("course__path"))
    )
    return _grouped(
        rows,
        lookup,
        passed=Count(attempt + "id", filter=Q(**{attempt + "passed": True})),
        finished=Count(attempt + "id"),
    )


def _pass_rates(since, until, by, dimension):
    attempts = QuizAttempt.objects.filter(
        status=AttemptStatus.FINISHED, submitted_at__gte=since, submitted_at__lt=until
    )
    counts = dict(passed=Count("pk", filter=Q(passed=True)), finished=Count("pk"))
    if dimension.through_enrolment:
        return _pass_rates_by_enrolment(since, until, dimension.lookup)
    if by not in ("course", "subject"):
        return _grouped(_scoped(attempts, dimension), dimension.lookup, **counts)
    # Attempts belong to quizzes; quizzes to courses (by tree path), courses to subjects.
    per_quiz = _grouped(attempts, "quiz_id", **counts)
    course_of = quiz_courses()
    subjects_of = {}
    if by == "subject":
        for course_id, slug in CoursePage.subjects.through.objects.values_list(
            "coursepage_id", "subject__slug"
        ):
            subjects_of.setdefault(course_id, []).append(slug)
    result = {}
    for quiz_id, row in per_quiz.items():
        course_id = course_of.get(quiz_id)
        keys = [course_id] if by == "course" else subjects_of.get(course_id, [])
        for key in keys:
            target = result.setdefault(key, {"passed": 0, "finished": 0})
            target["passed"] += row["passed"]
            target["finished"] += row["finished"]
    return result


def figures(start, end, by):
    """One row per group: learners, enrolments, completions, hours, certificates, pass rate."""
    dimension = DIMENSIONS[by]
    since, until = bounds(start, end)
    # Enrolled or completed in the period: one pass over the enrolments for four measures.
    # DISTINCT costs a sort, so it is asked for only where the grouping join can repeat a row.
    distinct = dimension.multi_valued
    joined = Q(enrolled_at__gte=since, enrolled_at__lt=until)
    done = Q(completed_at__gte=since, completed_at__lt=until)
    learning = _grouped(
        _scoped(Enrolment.objects.filter(joined | done), dimension),
        dimension.lookup,
        enrolments=Count("pk", filter=joined, distinct=distinct),
        learners=Count("user_id", filter=joined, distinct=True),
        completions=Count("pk", filter=done, distinct=distinct),
        hours=Sum("course__hours", filter=done),
    )
    certified = _grouped(
        _scoped(
            Certificate.objects.current().filter(issued_at__gte=since, issued_at__lt=until),
            dimension,
        ),
        dimension.certificate_lookup or dimension.lookup,
        certificates=Count("pk", distinct=distinct),
    )
    passes = _pass_rates(since, until, by, dimension)
    names = labels(by)
    keys = set(learning) | set(certified) | set(passes)
    rows = []
    for key in keys:
        finished = passes.get(key, {}).get("finished", 0)
        rows.append(
            {
                "key": key,
                "label": str(names.get(key, key)) if key not in (None, "") else str(NOT_GIVEN),
                "learners": learning.get(key, {}).get("learners", 0),
                "enrolments": learning.get(key, {}).get("enrolments", 0),
                "completions": learning.get(key, {}).get("completions", 0),
                "hours": Decimal(learning.get(key, {}).get("hours") or 0).quantize(TENTH),
                "certificates": certified.get(key, {}).get("certificates", 0),
                "attempts": finished,
                "pass_rate": (
                    round(100 * passes[key]["passed"] / finished, 1) if finished else None
                ),
            }
        )
    rows.sort(key=lambda row: (-row["completions"], -row["enrolments"], row["label"]))
    return rows


def small_enterprise_coverage(start, end):
    """Per district: small and micro enterprises, and how many had someone complete a course."""
    since, until = bounds(start, end)
    trained = Exists(
        Membership.objects.filter(
            organisation=OuterRef("pk"),
            user__enrolments__completed_at__gte=since,
            user__enrolments__completed_at__lt=until,
        )
    )
    rows = (
        Organisation.objects.filter(
            kind=OrganisationKind.ENTERPRISE,
            size__in=[OrganisationSize.SMALL, OrganisationSize.MICRO],
        )
        .annotate(trained=trained)
        .order_by()
        .values("district")
        .annotate(enterprises=Count("pk"), reached=Count("pk", filter=Q(trained=True)))
    )
    names = dict(District.choices)
    result = [
        {
            "key": row["district"],
            "label": str(names.get(row["district"], row["district"])),
            "enterprises": row["enterprises"],
            "reached": row["reached"],
            "share": round(100 * row["reached"] / row["enterprises"], 1),
        }
        for row in rows
    ]
    return sorted(result, key=lambda row: row["key"])


def course_ranking(start, end, limit=10, least_min=5):
    """The courses most taken, and those least completed (of courses with enough takers)."""
    since, until = bounds(start, end)
    rows = list(
        Enrolment.objects.filter(enrolled_at__gte=since, enrolled_at__lt=until)
        .order_by()
        .values("course_id", title=F("course__title"))
        .annotate(
            enrolments=Count("pk"),
            completions=Count("pk", filter=Q(completed_at__isnull=False)),
        )
    )
    for row in rows:
        row["rate"] = round(100 * row["completions"] / row["enrolments"], 1)
    most = sorted(rows, key=lambda r: (-r["enrolments"], r["title"]))[:limit]
    least = sorted(
        (r for r in rows if r["enrolments"] >= least_min), key=lambda r: (r["rate"], r["title"])
    )[:limit]
    return most, least


def monthly_completions(start, end):
    """Completions per calendar month of the period, months without any included."""
    from django.db.models.functions import TruncMonth

    since, until = bounds(start, end)
    counts = dict(
        Enrolment.objects.filter(completed_at__gte=since, completed_at__lt=until)
        .annotate(month=TruncMonth("completed_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month = {(m.year, m.month): n for m, n in counts.items()}
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append({"label": f"{year}-{month:02d}", "value": by_month.get((year, month), 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _learners_in(since, until):
    from accounts.models import User

    in_period = Q(enrolled_at__gte=since, enrolled_at__lt=until) | Q(
        completed_at__gte=since, completed_at__lt=until
    )
    return User.objects.filter(Exists(Enrolment.objects.filter(Q(user=OuterRef("pk")) & in_period)))


def learner_ids(start, end):
    """The ids of the people ``learner_rows`` lists, for the export record."""
    return _learners_in(*bounds(start, end)).order_by().values_list("pk", flat=True)


def learner_rows(start, end):
    """Personal data: one row per learner active in the period, in pinyin order of names,
    streamed from the database.

    The district is where the learner's latest training of the period counts (the rule of
    every other figure, courses/districts.py), not the one on their profile: a pupil created
    by a teacher has none, and their training counts where their school is.
    """
    since, until = bounds(start, end)
    done = Q(enrolments__completed_at__gte=since, enrolments__completed_at__lt=until)
    counted_in = (
        Enrolment.objects.filter(user=OuterRef("pk"))
        .filter(
            Q(enrolled_at__gte=since, enrolled_at__lt=until)
            | Q(completed_at__gte=since, completed_at__lt=until)
        )
        .order_by("-enrolled_at", "-pk")
        .values("district")[:1]
    )
    users = (
        _learners_in(since, until)
        .annotate(
            n_enrolments=Count("enrolments", distinct=True),
            n_completions=Count("enrolments", filter=done, distinct=True),
            n_hours=Sum("enrolments__course__hours", filter=done),
            training_district=Subquery(counted_in),
        )
        .order_by("name_key", "pk")
        .values_list(
            "pk",
            "username",
            "real_name",
            "training_district",
            "n_enrolments",
            "n_completions",
            "n_hours",
        )
    )
    districts = dict(District.choices)
    for _pk, username, real_name, district, enrolments, completions, hours in users.iterator(
        chunk_size=2000
    ):
        yield (
            username,
            real_name,
            str(districts.get(district, district)),
            enrolments,
            completions,
            Decimal(hours or 0).quantize(TENTH),
        )
