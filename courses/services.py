"""The learner's reads and writes of the learning records, and the unit helpers that the
course pages and the views share: a course's units, the course of a unit, what a learner has
done in a course, enrolment, visits, lesson completion and course completion.

This module sits between the records (courses/models/learning.py) and the course pages
(courses/models/pages.py, quiz.py): the pages call it to show the learner's progress and to
record a visit, so it must not import them back. It names the page models by app label, as
the records' foreign keys do, and looks them up when a function runs (``_page_model``).
"""

from datetime import timedelta

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from wagtail.models import Page

from courses.districts import training_district
from courses.models.learning import (
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    QuizAttempt,
    UnitResult,
)
from courses.signals import course_completed, lesson_opened, unit_result_recorded
from courses.tree import course_path
from serving.sitestate import remembered
from serving.statements import CompiledQuery

# How fresh "last activity" is kept: a learner reloading the unit they are on (or a second
# tab polling it) within this time writes nothing, as Moodle keeps its last access.
ACTIVITY_RESOLUTION = timedelta(minutes=1)


def _page_model(name):
    """CoursePage, LessonPage or QuizPage, from the app registry (see the module's note)."""
    return apps.get_model("courses", name)


def course_units(course):
    """The live units of a course (lessons and quizzes) in order, as their specific pages.

    Kept between requests until the next publish (serving/sitestate.py): every learner on every
    unit page of the course asks the same.
    """
    units = remembered(
        ("units", course.path),
        lambda: list(Page.objects.child_of(course).live().order_by("path").specific()),
    )
    return list(units)


def course_of(unit):
    """The course a lesson or quiz belongs to, kept like its units."""
    return remembered(
        ("course-of", unit.path),
        lambda: _page_model("CoursePage").objects.get(path=course_path(unit.path)),
    )


# Every course, lesson and quiz page a learner opens asks it.
_ENROLMENT = CompiledQuery(
    lambda user, course: Enrolment.objects.filter(user=user, course=course).order_by("pk")[:1],
    user=(Enrolment, "user"),
    course=(Enrolment, "course"),
)


def learner_context(request, course, units):
    """What the signed-in learner has done in this course: one statement, whatever its size."""
    context = {"units": units, "enrolment": None, "done_ids": set(), "seen_ids": set()}
    if request.user.is_authenticated:
        enrolment, (done, passed, seen) = _enrolment_and_status(request.user.pk, course, units)
        context["enrolment"] = enrolment
        if enrolment is not None:
            # The unit to continue from is one of the units already in hand (a join on the
            # page table would cost more than the whole rest of the query); a unit no longer
            # live is still read on access.
            last_unit = next((u for u in units if u.pk == enrolment.last_unit_id), None)
            if last_unit is not None:
                enrolment.last_unit = last_unit
            context["done_ids"] = done | passed
            context["seen_ids"] = seen
    return context


def _enrolment_and_status(user_id, course, units):
    """The learner's enrolment in the course (or None) and ``unit_status`` of its units, in one
    statement: the enrolment's row beside each status row (a learner not enrolled has none).

    Every course and unit page a signed-in learner opens asks both; apart, they cost two
    round trips to the database, and the second was the larger part of what the page waited
    for.
    """
    sql, params, instances = _ENROLMENT.statement(user=user_id, course=course.pk)
    ids = _unit_ids(units)
    status_sql, status_params = _status_sql(user_id, *ids)
    if status_sql:
        sql = f"SELECT * FROM ({sql}) enrolment LEFT JOIN ({status_sql}) unit_status ON 1 = 1"
        params = [*params, *status_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None, (set(), set(), set())
    width = instances.width
    status = [row[width:] for row in rows if status_sql and row[width] is not None]
    return instances([rows[0][:width]])[0], _statuses(status, *ids)


def unit_context(request, unit):
    """Course, position, previous and next unit, and the learner's records, for a unit page.

    It only reads: the visit is recorded when the page is served (``record_unit_visit``).
    """
    course = course_of(unit)
    units = course_units(course)
    position = next((i for i, other in enumerate(units) if other.pk == unit.pk), 0)
    context = learner_context(request, course, units)
    context.update(
        course=course,
        lessons=units,
        position=position + 1,
        previous_lesson=units[position - 1] if position > 0 else None,
        next_lesson=units[position + 1] if position + 1 < len(units) else None,
    )
    return context


def record_unit_visit(unit, context):
    """Record the visit of a unit page just served with ``context`` (``unit_context``'s),
    when the learner is enrolled; the page served to anyone else records nothing."""
    if context and context.get("enrolment") is not None:
        record_visit(context["enrolment"], unit, context["seen_ids"])


def enrol(user, course, source=EnrolmentSource.SELF, organisation=None):
    """Enrol once; enrolling again (a second click, another tab) returns the same row.

    ``organisation`` is the school or enterprise that set the training (with a class or
    organisation source): the record then counts in its district (courses/districts.py).
    The first enrolment settles source and district; enrolling again changes neither.
    """
    district = training_district(user, source, organisation)
    try:
        with transaction.atomic():
            enrolment, _ = Enrolment.objects.get_or_create(
                user=user, course=course, defaults={"source": source, "district": district}
            )
    except IntegrityError:  # a concurrent request created it first
        enrolment = Enrolment.objects.get(user=user, course=course)
    return enrolment


def enrolment_for(user, unit):
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user).in_course_of(unit).first()


def record_visit(enrolment, unit, seen_lesson_ids=None):
    """Remember where the learner is ("continue where you left off") and, for a lesson, that
    it was opened.

    ``seen_lesson_ids``, when the caller has read them, spares a lesson opened before its
    insert. Each write stands alone (a second tab inserting the same lesson is ignored), so a
    lesson view costs one statement; the first time, the insert and what observers of
    ``lesson_opened`` write share one transaction.
    """
    if isinstance(unit, _page_model("LessonPage")) and (
        seen_lesson_ids is None or unit.pk not in seen_lesson_ids
    ):
        # savepoint=False: no extra statement inside a request's transaction.
        with transaction.atomic(savepoint=False):
            LessonProgress.objects.bulk_create(
                [LessonProgress(user_id=enrolment.user_id, lesson=unit)], ignore_conflicts=True
            )
            lesson_opened.send(sender=LessonProgress, enrolment=enrolment, lesson=unit)
    now = timezone.now()
    if (
        enrolment.last_unit_id == unit.pk
        and enrolment.last_activity_at is not None
        and now - enrolment.last_activity_at < ACTIVITY_RESOLUTION
    ):
        return  # the same unit again within the minute: the row already says so
    Enrolment.objects.filter(pk=enrolment.pk).update(last_unit=unit, last_activity_at=now)


@transaction.atomic
def complete_lesson(enrolment, lesson):
    """Mark a lesson complete (once: the first completion time is kept)."""
    progress, _ = LessonProgress.objects.get_or_create(user_id=enrolment.user_id, lesson=lesson)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    return refresh_enrolment(enrolment)


def unit_status(user, units):
    """(completed unit ids, passed quiz ids, opened lesson ids) among ``units``, in one query.

    Completed units are lessons marked complete and units whose content reported completion
    (SCORM, H5P: ``UnitResult``).
    """
    return _unit_status(user.pk, *_unit_ids(units))


def _unit_ids(units):
    """(lesson ids, quiz ids, ids of the other units) among ``units``."""
    lesson_page, quiz_page = _page_model("LessonPage"), _page_model("QuizPage")
    lesson_ids = [u.pk for u in units if isinstance(u, lesson_page)]
    quiz_ids = [u.pk for u in units if isinstance(u, quiz_page)]
    other_ids = [u.pk for u in units if not isinstance(u, (lesson_page, quiz_page))]
    return lesson_ids, quiz_ids, other_ids


def _unit_status(user_id, lesson_ids, quiz_ids, other_ids=()):
    # One statement for every kind of unit: every page a learner opens in a course asks it.
    sql, params = _status_sql(user_id, lesson_ids, quiz_ids, other_ids)
    rows = []
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    return _statuses(rows, lesson_ids, quiz_ids, other_ids)


def _statuses(rows, lesson_ids, quiz_ids, other_ids):
    # A unit's id is a page id, so rows of different kinds never share one.
    quizzes, others = set(quiz_ids), set(other_ids)
    seen, done, passed_ids = set(), set(), set()
    for unit_id, finished_at in rows:
        if unit_id in quizzes:
            passed_ids.add(unit_id)
        elif unit_id in others:
            done.add(unit_id)
        else:
            seen.add(unit_id)
            if finished_at is not None:
                done.add(unit_id)
    return done, passed_ids, seen


def _status_sql(user_id, lesson_ids, quiz_ids, other_ids):
    """The statement of (unit id, when finished or None) rows: lessons opened, quizzes
    passed, other units completed; ("", []) when there are no units.

    Written as SQL because it is asked on every unit and course page a learner opens: the
    ORM's compilation of the same three-part union took longer (about 1 ms) than the
    database took to answer it, and the statement's shape is fixed but for the id lists.
    """
    parts, params = [], []
    for model, unit, finished, ids, extra in (
        (LessonProgress, "lesson", "completed_at", lesson_ids, ""),
        (QuizAttempt, "quiz", "submitted_at", quiz_ids, "passed = %s"),
        (UnitResult, "unit", "completed_at", other_ids, "completed_at IS NOT NULL"),
    ):
        if not ids:
            continue
        column = model._meta.get_field(unit).column
        where = [f"user_id = %s AND {column} IN ({', '.join(['%s'] * len(ids))})", extra]
        parts.append(
            f"SELECT {column} AS unit_id, {finished} AS finished_at FROM {model._meta.db_table}"
            f" WHERE {' AND '.join(filter(None, where))}"
        )
        params += [user_id, *ids, *([True] if "%s" in extra else [])]
    return " UNION ALL ".join(parts), params


def _live_unit_ids(course):
    """(lesson ids, quiz ids, ids of the other units) of the course's live units, without
    loading any unit."""
    lesson_page, quiz_page = _page_model("LessonPage"), _page_model("QuizPage")
    types = ContentType.objects.get_for_models(lesson_page, quiz_page)
    lesson_type, quiz_type = types[lesson_page].pk, types[quiz_page].pk
    rows = list(Page.objects.child_of(course).live().values_list("pk", "content_type_id"))
    return (
        [pk for pk, kind in rows if kind == lesson_type],
        [pk for pk, kind in rows if kind == quiz_type],
        [pk for pk, kind in rows if kind not in (lesson_type, quiz_type)],
    )


@transaction.atomic
def record_unit_result(enrolment, unit, *, completed, passed=None, score=None):
    """Record what a unit's content reported (a SCORM package, an H5P activity).

    Completion is kept once reached: content that later reports "incomplete" (a learner
    reviewing a finished package) does not undo the course's progress; pass and score follow
    the latest report. The first completion recomputes the course's progress and sends
    ``unit_result_recorded`` with ``first_completion=True``; every call sends it, so that
    observers can record scores too. Returns the UnitResult.
    """
    result, _ = UnitResult.objects.select_for_update().get_or_create(
        user_id=enrolment.user_id, unit=unit
    )
    first_completion = bool(completed) and result.completed_at is None
    if first_completion:
        result.completed_at = timezone.now()
    if passed is not None:
        result.passed = passed
    if score is not None:
        result.score = min(max(float(score), 0.0), 1.0)
    result.save()
    if first_completion:
        refresh_enrolment(enrolment)
    unit_result_recorded.send(
        sender=UnitResult,
        enrolment=enrolment,
        unit=unit,
        completed=result.completed_at is not None,
        passed=result.passed,
        score=result.score,
        first_completion=first_completion,
    )
    return result


def refresh_enrolment(enrolment):
    """Recompute the cached progress; record completion the moment the last unit is done.

    The enrolment row is locked, so two requests finishing the last two units at once still
    record one completion and send one ``course_completed``. Only that row: locking the
    course too would make every learner finishing it wait for the others' certificates.
    """
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("course")
        .get(pk=enrolment.pk)
    )
    lesson_ids, quiz_ids, other_ids = _live_unit_ids(enrolment.course)
    units = len(lesson_ids) + len(quiz_ids) + len(other_ids)
    done, passed, _ = _unit_status(enrolment.user_id, lesson_ids, quiz_ids, other_ids)
    finished = len(done) + len(passed)
    enrolment.progress = round(100 * finished / units) if units else 0
    fields = ["progress"]
    newly_completed = units and finished == units and enrolment.completed_at is None
    if newly_completed:
        enrolment.completed_at = timezone.now()
        fields.append("completed_at")
    enrolment.save(update_fields=fields)
    if newly_completed:
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment
