"""The learning events, observed from outside: courses and certificates save their records
and send their signals; each receiver here writes the event's statements into the outbox in
the same transaction (post_save runs inside the save's transaction, and the services that
save these records are atomic).

What is observed where:

- Enrolment created: registered (the course).
- A lesson first opened: experienced. Opening inserts the progress row with bulk_create,
  which sends no post_save; courses sends ``lesson_opened`` there instead. A progress row
  created by a save (a lesson completed without being opened first) is an opening too.
- LessonProgress saved with its completion time: completed (the lesson).
- A quiz attempt started (``quiz_attempt_started``, in the start's transaction): attempted
  (the quiz), so that an attempt started and never submitted is recorded too. Its id is fixed
  by the attempt (identity.attempt_statement_id).
- QuizAttempt saved with its result: answered for each question (a cmi.interaction with the
  final answer, its success and score) and passed or failed with the score, each naming the
  attempted statement as its context.statement, and all of them carrying the attempt's number.
  Answers are saved with update() while the attempt is open, which sends no signal; they are
  final, and reported, when the attempt is graded.
- ``course_completed``: completed (the course).
- Certificate created (not a reissue of one): earned.
"""

from dataclasses import replace

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.signals import account_deleting, personal_data_requested
from certificates.models import Certificate
from courses.models import (
    AttemptStatus,
    CoursePage,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    Response,
)
from courses.signals import course_completed, lesson_opened, quiz_attempt_started
from xapi import identity, services
from xapi import statements as xs
from xapi.models import Statement
from xapi.setting import extension, setting_of
from xapi.statements import Verb


def _enrolment_in_course_of(user_id, unit):
    return (
        Enrolment.objects.filter(user_id=user_id)
        .in_course_of(unit)
        .select_related("course")
        .first()
    )


def _course_of(enrolment, unit):
    if enrolment is not None:
        return enrolment.course
    return CoursePage.objects.parent_of(unit).specific().first()


def _lesson_statement(user_id, lesson, name, when, enrolment=None, result=None):
    enrolment = enrolment or _enrolment_in_course_of(user_id, lesson)
    course = _course_of(enrolment, lesson)
    if course is None:
        return None
    return xs.statement(
        user_id,
        name,
        xs.activity(lesson, "lesson", course),
        course,
        when=when,
        result=result,
        parent=[xs.course_activity(course)],
        setting=setting_of(enrolment),
    )


@receiver(post_save, sender=Enrolment)
def enrolled(sender, instance, created, raw=False, **kwargs):
    if raw or not created:
        return
    course = instance.course
    data = xs.statement(
        instance.user_id,
        Verb.REGISTERED,
        xs.course_activity(course),
        course,
        when=instance.enrolled_at,
        setting=setting_of(instance),
    )
    services.record(instance.user_id, [data])


@receiver(lesson_opened)
def lesson_first_opened(sender, enrolment, lesson, **kwargs):
    data = _lesson_statement(enrolment.user_id, lesson, Verb.EXPERIENCED, None, enrolment)
    if data:
        services.record(enrolment.user_id, [data])


@receiver(post_save, sender=LessonProgress)
def lesson_progress(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    lesson = instance.lesson
    found = []
    if created:
        found.append(_lesson_statement(instance.user_id, lesson, Verb.EXPERIENCED, None))
    completing = created or (update_fields is not None and "completed_at" in update_fields)
    if instance.completed_at is not None and completing:
        found.append(
            _lesson_statement(
                instance.user_id,
                lesson,
                Verb.COMPLETED,
                instance.completed_at,
                result={"completion": True},
            )
        )
    found = [data for data in found if data]
    if found:
        services.record(instance.user_id, found)


def _quiz_context(attempt):
    enrolment = _enrolment_in_course_of(attempt.user_id, attempt.quiz)
    course = _course_of(enrolment, attempt.quiz)
    return enrolment, course


def _in_attempt(setting, attempt):
    """The setting with the attempt's number (first try or a retry) among the extensions."""
    return replace(
        setting, extensions={**setting.extensions, extension("attempt"): {"number": attempt.number}}
    )


def _attempted(attempt, course, setting):
    """The attempt's start. Its id is fixed by the attempt, so the graded statements can name
    it as their context.statement and an LRS joins the answers and the grade to the start."""
    return xs.statement(
        attempt.user_id,
        Verb.ATTEMPTED,
        xs.activity(attempt.quiz, "assessment", course),
        course,
        when=attempt.started_at,
        parent=[xs.course_activity(course)],
        setting=setting,
        statement_id=identity.attempt_statement_id(attempt.pk),
    )


@receiver(quiz_attempt_started)
def quiz_attempt_began(sender, enrolment, attempt, **kwargs):
    course = enrolment.course
    data = _attempted(attempt, course, _in_attempt(setting_of(enrolment), attempt))
    services.record(attempt.user_id, [data])


@receiver(post_save, sender=QuizAttempt)
def quiz_attempt(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or created:
        return
    graded = (
        update_fields is not None
        and "passed" in update_fields
        and instance.status == AttemptStatus.FINISHED
        and instance.passed is not None
    )
    if not graded:
        return
    enrolment, course = _quiz_context(instance)
    if course is None:
        return
    quiz = instance.quiz
    quiz_activity = xs.activity(quiz, "assessment", course)
    setting = _in_attempt(setting_of(enrolment), instance)
    started = identity.attempt_statement_id(instance.pk)
    # The start's statement again, with its fixed id: written at the start it is already in
    # the outbox and this copy is dropped (ignore_existing); an attempt started before starts
    # were reported gets it now, so every graded statement's context.statement exists.
    found = [
        _attempted(instance, course, setting),
        *_answers(instance, quiz, course, quiz_activity, setting, started),
    ]
    result = {
        "score": xs.attempt_score(instance),
        "success": bool(instance.passed),
        "completion": True,
    }
    found.append(
        xs.statement(
            instance.user_id,
            Verb.PASSED if instance.passed else Verb.FAILED,
            quiz_activity,
            course,
            when=instance.submitted_at,
            result=result,
            parent=[xs.course_activity(course)],
            setting=setting,
            context_statement=started,
        )
    )
    services.record(instance.user_id, found, ignore_existing=True)


def _answers(attempt, quiz, course, quiz_activity, setting, started):
    """One ``answered`` per question of the attempt, in the order the learner saw them."""
    responses = {r.question_key: r for r in Response.objects.filter(attempt=attempt)}
    found = []
    for item in attempt.snapshot.get("items", []):
        response = responses.get(item["key"])
        if response is None:
            continue
        found.append(
            xs.statement(
                attempt.user_id,
                Verb.ANSWERED,
                xs.question_activity(quiz, item, course),
                course,
                when=response.updated_at,
                result=xs.answer_result(item["question"], response),
                parent=[quiz_activity],
                setting=_with_course(setting, course),
                context_statement=started,
            )
        )
    return found


def _with_course(setting, course):
    """An answer's parent is its quiz; the course joins the grouping."""
    return replace(setting, grouping=[xs.course_activity(course), *setting.grouping])


@receiver(course_completed)
def course_done(sender, enrolment, **kwargs):
    course = enrolment.course
    data = xs.statement(
        enrolment.user_id,
        Verb.COMPLETED,
        xs.course_activity(course),
        course,
        when=enrolment.completed_at,
        result={"completion": True, "success": True},
        setting=setting_of(enrolment),
    )
    services.record(enrolment.user_id, [data])


@receiver(post_save, sender=Certificate)
def certificate_earned(sender, instance, created, raw=False, **kwargs):
    # A reissue (a new name on the same completion) is not a second achievement.
    if raw or not created or instance.replaces_id or instance.user_id is None:
        return
    course = instance.course
    if course is None:
        return
    course_obj = xs.course_activity(course)
    obj = {
        "objectType": "Activity",
        # The course's certificate as an achievement, the same for every holder: never the
        # verification address, which would show the holder's name.
        "id": course_obj["id"] + "#certificate",
        "definition": {
            "type": xs.certificate_type(),
            "name": {xs.language_tag(course): instance.course_title},
        },
    }
    data = xs.statement(
        instance.user_id,
        Verb.EARNED,
        obj,
        course,
        when=instance.issued_at,
        result={
            "completion": True,
            "success": True,
            "extensions": {xs.hours_extension(): float(instance.hours)},
        },
        parent=[course_obj],
        setting=setting_of(instance.enrolment) if instance.enrolment_id else None,
    )
    services.record(instance.user_id, [data])


@receiver(personal_data_requested)
def statements_in_export(sender, user, **kwargs):
    rows = Statement.objects.of_person(user).order_by("created_at", "id")
    return {
        "xapi_statements": [
            {
                "statement": row.data,
                "written_at": row.created_at.isoformat(),
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in rows
        ]
    }


@receiver(account_deleting)
def forget_unsent_statements(sender, user, **kwargs):
    services.forget_unsent(user)
