"""What a training manager reads about their staff, in a fixed number of grouped queries
however many people the organisation has."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from certificates.models import Certificate, CertificateStatus
from courses.models import AttemptStatus, CoursePage, Enrolment, QuizAttempt


@dataclass
class StaffRow:
    membership: object
    in_progress: int = 0
    completed: int = 0
    hours_year: Decimal = Decimal(0)
    hours_total: Decimal = Decimal(0)
    certificates: int = 0
    attempts: int = 0
    passed: int = 0
    average_score: Decimal | None = None
    cqo_missing: list = field(default_factory=list)

    @property
    def user(self):
        return self.membership.user

    @property
    def cqo_current(self):
        return self.membership.chief_quality_officer and not self.cqo_missing


def in_force():
    today = timezone.localdate()
    return Q(status=CertificateStatus.VALID) & (
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )


def required_of_cqos():
    return list(
        CoursePage.objects.live()
        .filter(required_of_chief_quality_officers=True)
        .order_by("title")
        .only("pk", "title")
    )


def staff_progress(memberships, year=None):
    """One StaffRow per membership: six queries for 5 or 5,000 people."""
    memberships = list(memberships.select_related("user"))
    user_ids = [m.user_id for m in memberships]
    year = year or timezone.localdate().year
    year_start = timezone.make_aware(timezone.datetime(year, 1, 1))
    year_end = timezone.make_aware(timezone.datetime(year + 1, 1, 1))
    done = Q(completed_at__isnull=False)
    learning = {
        row["user_id"]: row
        for row in Enrolment.objects.filter(user_id__in=user_ids)
        .order_by()
        .values("user_id")
        .annotate(
            in_progress=Count("pk", filter=Q(completed_at__isnull=True)),
            completed=Count("pk", filter=done),
            hours_total=Sum("course__hours", filter=done),
            hours_year=Sum(
                "course__hours",
                filter=done & Q(completed_at__gte=year_start, completed_at__lt=year_end),
            ),
        )
    }
    certificates = dict(
        Certificate.objects.filter(in_force(), user_id__in=user_ids)
        .order_by()
        .values("user_id")
        .annotate(n=Count("pk"))
        .values_list("user_id", "n")
    )
    quizzes = {
        row["user_id"]: row
        for row in QuizAttempt.objects.filter(user_id__in=user_ids, status=AttemptStatus.FINISHED)
        .order_by()
        .values("user_id")
        .annotate(
            attempts=Count("pk"), passed=Count("pk", filter=Q(passed=True)), score=Avg("score")
        )
    }
    required = required_of_cqos()
    officers = [m.user_id for m in memberships if m.chief_quality_officer]
    held = (
        set(
            Certificate.objects.filter(
                in_force(), user_id__in=officers, course__in=[c.pk for c in required]
            ).values_list("user_id", "course_id")
        )
        if officers and required
        else set()
    )
    rows = []
    for membership in memberships:
        uid = membership.user_id
        stats = learning.get(uid, {})
        quiz = quizzes.get(uid, {})
        rows.append(
            StaffRow(
                membership=membership,
                in_progress=stats.get("in_progress", 0),
                completed=stats.get("completed", 0),
                hours_year=stats.get("hours_year") or Decimal(0),
                hours_total=stats.get("hours_total") or Decimal(0),
                certificates=certificates.get(uid, 0),
                attempts=quiz.get("attempts", 0),
                passed=quiz.get("passed", 0),
                average_score=quiz.get("score"),
                cqo_missing=(
                    [c for c in required if (uid, c.pk) not in held]
                    if membership.chief_quality_officer
                    else []
                ),
            )
        )
    return rows, required


def ledger(user):
    """The person's training record: completed courses by year, with hours and certificates."""
    enrolments = (
        Enrolment.objects.filter(user=user, completed_at__isnull=False)
        .select_related("course")
        .prefetch_related("certificates")
        .order_by("-completed_at")
    )
    years = {}
    for enrolment in enrolments:
        year = timezone.localtime(enrolment.completed_at).year
        entry = years.setdefault(year, {"year": year, "hours": Decimal(0), "courses": []})
        current = [c for c in enrolment.certificates.all() if c.status != "replaced"]
        entry["hours"] += enrolment.course.hours
        entry["courses"].append(
            {
                "title": enrolment.course.title,
                "completed_on": timezone.localdate(enrolment.completed_at),
                "hours": enrolment.course.hours,
                "certificate": current[0] if current else None,
            }
        )
    return sorted(years.values(), key=lambda e: -e["year"])


def ledger_rows(user):
    for year in ledger(user):
        for course in year["courses"]:
            certificate = course["certificate"]
            yield (
                year["year"],
                course["title"],
                course["completed_on"].isoformat(),
                course["hours"],
                certificate.number if certificate else "",
                str(certificate.state_label) if certificate else "",
            )
