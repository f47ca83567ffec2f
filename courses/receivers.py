"""Courses' part of a person's data export: what they enrolled in, read, answered and were
told (accounts asks through ``personal_data_requested`` and never imports courses); and the
page cache's purge for the taxonomy every course page and the catalog show; a course's
search entry, re-indexed when one of its lessons changes."""

from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from accounts import audiences
from accounts.signals import personal_data_requested
from courses.models import (
    Audience,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    Subject,
)
from serving.pagecache import purge_on_change

for _model in (Audience, Subject):
    purge_on_change(_model)

# The profile forms offer the catalog's audiences; accounts cannot import courses.
audiences.provide(lambda: ((a.slug, a.label) for a in Audience.objects.all()))


def _when(value):
    return value.isoformat() if value else None


def _number(value):
    return None if value is None else str(value)


def _question_text(attempt, key):
    for item in attempt.snapshot.get("items", []):
        if item.get("key") == key:
            return item.get("question", {}).get("text", "")
    return ""


@receiver(personal_data_requested)
def learning_section(sender, user, **kwargs):
    enrolments = Enrolment.objects.for_user(user).select_related("course").order_by("pk")
    lessons = (
        LessonProgress.objects.filter(user=user).select_related("lesson").order_by("first_seen_at")
    )
    attempts = (
        QuizAttempt.objects.filter(user=user)
        .select_related("quiz")
        .prefetch_related("responses")
        .order_by("started_at", "pk")
    )
    return {
        "enrolments": [
            {
                "course": e.course.title,
                "source": e.source,
                "enrolled_at": _when(e.enrolled_at),
                "progress_percent": e.progress,
                "last_activity_at": _when(e.last_activity_at),
                "completed_at": _when(e.completed_at),
            }
            for e in enrolments
        ],
        "lesson_progress": [
            {
                "lesson": p.lesson.title,
                "first_seen_at": _when(p.first_seen_at),
                "completed_at": _when(p.completed_at),
                "seconds_spent": p.seconds_spent,
            }
            for p in lessons
        ],
        "quiz_attempts": [
            {
                "quiz": a.quiz.title,
                "number": a.number,
                "status": a.status,
                "started_at": _when(a.started_at),
                "deadline": _when(a.deadline),
                "submitted_at": _when(a.submitted_at),
                "score_percent": _number(a.score),
                "passed": a.passed,
                "responses": [
                    {
                        "question": r.question_key,
                        # The question as the attempt showed it; never its answer key.
                        "question_text": _question_text(a, r.question_key),
                        "answer": r.answer,
                        "answer_text": r.answer_text,
                        "credit": _number(r.credit),
                        # An essay's grade and the teacher's words to the learner.
                        "graded_by_teacher": r.graded_by_id is not None,
                        "teacher_comment": r.comment,
                        "updated_at": _when(r.updated_at),
                    }
                    for r in sorted(a.responses.all(), key=lambda r: r.pk)
                ],
            }
            for a in attempts
        ],
    }


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def reindex_course(sender, instance, **kwargs):
    """A course is found by its lessons' text, so a lesson's change re-indexes its course."""
    course = CoursePage.objects.parent_of(instance).first()
    if course is not None:
        index.insert_or_update_object(course)
