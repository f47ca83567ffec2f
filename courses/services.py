"""Writes of the learning records: enrolment, lesson progress and course completion."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.models import (
    CoursePage,
    Enrolment,
    EnrolmentSource,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
)
from courses.signals import course_completed


def enrol(user, course, source=EnrolmentSource.SELF):
    """Enrol once; enrolling again (a second click, another tab) returns the same row."""
    try:
        with transaction.atomic():
            enrolment, _ = Enrolment.objects.get_or_create(
                user=user, course=course, defaults={"source": source}
            )
    except IntegrityError:  # a concurrent request created it first
        enrolment = Enrolment.objects.get(user=user, course=course)
    return enrolment


def enrolment_for(user, unit):
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course_id=_course_id(unit)).first()


def _course_id(unit):
    return CoursePage.objects.parent_of(unit).values_list("pk", flat=True).first()


@transaction.atomic
def record_visit(enrolment, unit):
    """Remember where the learner is ("continue where you left off")."""
    if isinstance(unit, LessonPage):
        LessonProgress.objects.get_or_create(user_id=enrolment.user_id, lesson=unit)
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
    """(completed lesson ids, passed quiz ids) among ``units``, in two queries."""
    lesson_ids = [u.pk for u in units if isinstance(u, LessonPage)]
    quiz_ids = [u.pk for u in units if isinstance(u, QuizPage)]
    done = set(
        LessonProgress.objects.filter(
            user=user, lesson_id__in=lesson_ids, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    passed = set(
        QuizAttempt.objects.filter(user=user, quiz_id__in=quiz_ids, passed=True).values_list(
            "quiz_id", flat=True
        )
    )
    return done, passed


def refresh_enrolment(enrolment):
    """Recompute the cached progress; record completion the moment the last unit is done.

    The enrolment row is locked, so two requests finishing the last two units at once still
    record one completion and send one ``course_completed``.
    """
    from courses.models.pages import course_units

    enrolment = Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)
    units = course_units(enrolment.course)
    done, passed = unit_status(enrolment.user, units)
    finished = len(done) + len(passed)
    enrolment.progress = round(100 * finished / len(units)) if units else 0
    fields = ["progress"]
    newly_completed = units and finished == len(units) and enrolment.completed_at is None
    if newly_completed:
        enrolment.completed_at = timezone.now()
        fields.append("completed_at")
    enrolment.save(update_fields=fields)
    if newly_completed:
        course_completed.send(sender=Enrolment, enrolment=enrolment)
    return enrolment
