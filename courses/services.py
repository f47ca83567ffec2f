"""Writes of the learning records: enrolment, lesson progress and course completion."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.models import Page

from courses.districts import training_district
from courses.models import (
    Enrolment,
    EnrolmentSource,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
)
from courses.signals import course_completed, lesson_opened


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
    if isinstance(unit, LessonPage) and (seen_lesson_ids is None or unit.pk not in seen_lesson_ids):
        # savepoint=False: no extra statement inside a request's transaction.
        with transaction.atomic(savepoint=False):
            LessonProgress.objects.bulk_create(
                [LessonProgress(user_id=enrolment.user_id, lesson=unit)], ignore_conflicts=True
            )
            lesson_opened.send(sender=LessonProgress, enrolment=enrolment, lesson=unit)
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_unit=unit, last_activity_at=timezone.now()
    )


@transaction.atomic
def complete_lesson(enrolment, lesson):
    """Mark a lesson complete (once: the first completion time is kept)."""
    progress, _ = LessonProgress.objects.get_or_create(user_id=enrolment.user_id, lesson=lesson)
    if progress.completed_at is None:
        progress.completed_at = timezone.now()
        progress.save(update_fields=["completed_at"])
    return refresh_enrolment(enrolment)


def unit_status(user, units):
    """(completed lesson ids, passed quiz ids, opened lesson ids) among ``units``, in two
    queries."""
    lesson_ids = [u.pk for u in units if isinstance(u, LessonPage)]
    quiz_ids = [u.pk for u in units if isinstance(u, QuizPage)]
    return _unit_status(user.pk, lesson_ids, quiz_ids)


def _unit_status(user_id, lesson_ids, quiz_ids):
    opened = LessonProgress.objects.filter(user_id=user_id, lesson_id__in=lesson_ids)
    rows = list(opened.values_list("lesson_id", "completed_at"))
    seen = {lesson_id for lesson_id, _ in rows}
    done = {lesson_id for lesson_id, completed_at in rows if completed_at is not None}
    passed = set(
        QuizAttempt.objects.filter(user_id=user_id, quiz_id__in=quiz_ids, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
    return done, passed, seen


def _live_unit_ids(course):
    """(lesson ids, quiz ids) of the course's live units, without loading any unit."""
    types = ContentType.objects.get_for_models(LessonPage, QuizPage)
    rows = list(Page.objects.child_of(course).live().values_list("pk", "content_type_id"))
    return (
        [pk for pk, kind in rows if kind == types[LessonPage].pk],
        [pk for pk, kind in rows if kind == types[QuizPage].pk],
    )


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
    lesson_ids, quiz_ids = _live_unit_ids(enrolment.course)
    units = len(lesson_ids) + len(quiz_ids)
    done, passed, _ = _unit_status(enrolment.user_id, lesson_ids, quiz_ids)
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
