"""Quiz attempts: start, save answers, submit. The rules Moodle learned the hard way.

- The server keeps the clock: an attempt has a deadline; answers up to GRACE after it are
  accepted (network latency), later ones are refused and the attempt is closed as it stood.
- Every answer row carries a version; a save must name the version it replaces, so a stale
  tab or a replayed request cannot overwrite a newer answer.
- Starting and submitting lock rows, so two tabs or a double click give one attempt and one
  grade, and the attempt limit holds under concurrency.
- Answers are graded when saved (pure functions), so submitting costs the same few queries
  for 5 questions as for 100.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, F, Max, Q, Sum
from django.utils import timezone

from courses.models import (
    AttemptStatus,
    CoursePage,
    Enrolment,
    QuizAttempt,
    Response,
    ReviewPolicy,
)
from courses.questions.data import Question
from courses.questions.kinds.base import ResponseError
from courses.questions.registry import kind_of
from courses.quiz.pool import pool_of
from courses.signals import quiz_attempt_started
from serving.sitestate import with_shared_pages

GRACE = timedelta(seconds=30)
MAX_ANSWER_TEXT = 200


class AttemptError(Exception):
    def __init__(self, code, message=""):
        super().__init__(message or code)
        self.code = code


def build_snapshot(quiz, rng=None):
    """Questions (the quiz's own plus any drawn from its bank), order and pass mark.

    The questions come from the quiz's pool (courses/quiz/pool.py), read and parsed once per
    version of the quiz and its bank; the draw and the shuffles are the attempt's own.
    """
    rng = rng or random.SystemRandom()
    pool = pool_of(quiz)
    drawn = list(pool.own)
    if pool.bank:
        drawn += rng.sample(pool.bank, min(quiz.draw_count, len(pool.bank)))
    if quiz.shuffle:
        rng.shuffle(drawn)
    items = [question.item(quiz.shuffle, rng) for question in drawn]
    return {"pass_mark": quiz.pass_mark, "review": quiz.review, "items": items}


def _gradable(item):
    return kind_of(item["question"]["qtype"]).gradable


def _unanswered_credit(item):
    """Nothing earned for a blank answer; an essay stays ungraded (None) for the teacher."""
    return kind_of(item["question"]["qtype"]).unanswered_credit()


def start_attempt(user, quiz, now=None):
    """Resume the open attempt or start a new one within the attempt limit."""
    now = now or timezone.now()
    with transaction.atomic():
        # One row per learner and course: locking it serialises this learner's starts.
        # At the start of an exam everybody starts at once, so each query saved here counts.
        # The enrolment comes with its course for quiz_attempt_started's receivers: the
        # course page kept for the generation, or in the same query (``with_shared_pages``);
        # only the enrolment row is locked (``of``), never the course shared by everybody
        # starting at once. Selecting the page's columns with the lock and building a page
        # from them cost 4 ms of a start's 31 (docs/figures.md).
        enrolments = with_shared_pages(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(user=user)
            .in_course_of(quiz)[:1],
            course=CoursePage,
        )
        if not enrolments:
            raise AttemptError("not_enrolled")
        enrolment = enrolments[0]
        counts = QuizAttempt.objects.of(user, quiz).aggregate(
            used=Count("pk"), open_pk=Max("pk", filter=Q(status=AttemptStatus.IN_PROGRESS))
        )
        used = counts["used"]
        if counts["open_pk"] is not None:
            current = QuizAttempt.objects.get(pk=counts["open_pk"])
            if not _expired(current, now):
                return current
            _finish(current, now, closed_by_deadline=True)
        if quiz.max_attempts and used >= quiz.max_attempts:
            raise AttemptError("limit")
        snapshot = build_snapshot(quiz)
        attempt = QuizAttempt.objects.create(
            user=user,
            quiz=quiz,
            number=used + 1,
            snapshot=snapshot,
            deadline=now + timedelta(minutes=quiz.time_limit) if quiz.time_limit else None,
        )
        Response.objects.bulk_create(
            Response(attempt=attempt, question_key=item["key"], credit=_unanswered_credit(item))
            for item in snapshot["items"]
            if _gradable(item)
        )
        quiz_attempt_started.send(sender=QuizAttempt, enrolment=enrolment, attempt=attempt)
    return attempt


def _expired(attempt, now):
    return attempt.deadline is not None and now > attempt.deadline + GRACE


def snapshot_item(attempt, key):
    for item in attempt.snapshot["items"]:
        if item["key"] == key:
            return item
    return None


def save_answer(attempt, key, answer, version, now=None):
    """Store one answer graded; returns the new version. Raises AttemptError or ResponseError.

    ``attempt`` is the learner's own open attempt (the caller looked it up by owner).
    """
    now = now or timezone.now()
    if not attempt.is_open:
        raise AttemptError("closed")
    if _expired(attempt, now):
        close_expired(attempt, now)
        raise AttemptError("deadline")
    item = snapshot_item(attempt, key)
    if item is None or not _gradable(item):
        raise ResponseError("no such question in this attempt")
    question = Question.from_dict(item["question"])
    kind = kind_of(question)
    credit = kind.grade(question, answer) if answer is not None else kind.unanswered_credit()
    # Only columns of the response row in the filter: PostgreSQL re-checks them after waiting
    # for a concurrent save's row lock, so of two saves naming the same version one wins.
    updated = Response.objects.filter(
        attempt_id=attempt.pk, question_key=key, version=version
    ).update(
        answer=answer,
        credit=credit,
        answer_text=answer_text(question, answer),
        version=version + 1,
        updated_at=now,
    )
    if not updated:
        raise AttemptError("stale")
    return version + 1


def answer_text(question, answer):
    """The answer as words, for teachers' reports (choice texts rather than indices)."""
    if answer is None:
        return ""
    return kind_of(question).answer_text(question, answer)[:MAX_ANSWER_TEXT]


def close_expired(attempt, now=None):
    now = now or timezone.now()
    if attempt.is_open and _expired(attempt, now):
        with transaction.atomic():
            locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
            if locked.is_open:
                _finish(locked, now, closed_by_deadline=True)
        attempt.refresh_from_db()
    return attempt


def submit_attempt(attempt, now=None):
    """Submit once: a second submission (double click, another tab) returns the same result."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_open:
            _finish(locked, now, closed_by_deadline=_expired(locked, now))
    attempt.refresh_from_db()
    return attempt


def _finish(attempt, now, closed_by_deadline=False):
    """Grade from the stored credits and close the attempt (inside a transaction, locked).

    Bumping every response's version first waits for saves in flight and makes any save
    still holding an old version fail, so nothing changes an answer after it is graded.
    """
    Response.objects.filter(attempt=attempt).update(version=F("version") + 1)
    totals = Response.objects.filter(attempt=attempt).aggregate(
        earned=Sum("credit"),
        questions=Count("pk"),
        ungraded=Count("pk", filter=Q(credit__isnull=True)),
    )
    attempt.submitted_at = now
    attempt.closed_by_deadline = closed_by_deadline
    if totals["ungraded"]:
        attempt.status = AttemptStatus.AWAITING_GRADING
    else:
        _set_score(attempt, totals["earned"], totals["questions"])
    attempt.save(update_fields=["submitted_at", "closed_by_deadline", "status", "score", "passed"])
    if attempt.passed:
        _refresh_course(attempt)


def _set_score(attempt, earned, questions):
    score = (Decimal(earned or 0) * 100 / questions) if questions else Decimal(100)
    attempt.score = score.quantize(Decimal("0.01"))
    attempt.passed = attempt.score >= attempt.snapshot["pass_mark"]
    attempt.status = AttemptStatus.FINISHED


def grade_essay(response, credit, grader, comment=""):
    """A teacher's grade for an essay; the attempt is scored once nothing is left to grade."""
    with transaction.atomic():
        attempt = QuizAttempt.objects.select_for_update().get(pk=response.attempt_id)
        Response.objects.filter(pk=response.pk).update(
            credit=credit, graded_by=grader, comment=comment
        )
        if attempt.status == AttemptStatus.AWAITING_GRADING:
            totals = Response.objects.filter(attempt=attempt).aggregate(
                earned=Sum("credit"),
                questions=Count("pk"),
                ungraded=Count("pk", filter=Q(credit__isnull=True)),
            )
            if not totals["ungraded"]:
                _set_score(attempt, totals["earned"], totals["questions"])
                attempt.save(update_fields=["status", "score", "passed"])
                if attempt.passed:
                    _refresh_course(attempt)
    return attempt


def _refresh_course(attempt):
    from courses.services import refresh_enrolment

    enrolment = Enrolment.objects.filter(user_id=attempt.user_id).in_course_of(attempt.quiz).first()
    if enrolment is not None:
        refresh_enrolment(enrolment)


def may_review(attempt, passed_before):
    """Whether correct answers and feedback may be shown for this attempt."""
    if attempt.is_open:
        return False
    policy = attempt.snapshot.get("review", ReviewPolicy.AFTER_SUBMIT)
    if policy == ReviewPolicy.AFTER_SUBMIT:
        return True
    if policy == ReviewPolicy.AFTER_PASS:
        return passed_before
    return False
