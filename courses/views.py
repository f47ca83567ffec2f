"""Learner actions: enrol, complete lessons, take quizzes, and the dashboard.

Views stay thin: they find the learner's own records (anyone else's id is a 404) and call
the services in courses/services.py and courses/quiz/attempts.py.
"""

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from courses import services
from courses.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    QuizAttempt,
    QuizPage,
)
from courses.queries import (
    DASHBOARD_ATTEMPTS,
    DASHBOARD_ENROLMENTS,
    start_target,
    startable_quiz,
)
from courses.questions.kinds.base import ResponseError
from courses.quiz import attempts as quiz
from courses.quiz.presentation import answers_from_form, attempt_items, review_items
from courses.signals import dashboard_sections
from courses.tree import course_path
from serving.redirects import safe_next
from serving.sitestate import shared_pages, with_shared_pages

MAX_ANSWER_BYTES = 64 * 1024
SECTION_ORDER = 50  # where a dashboard section without an "order" stands; smaller is higher
TOP = 20  # sections ordered before this stand above "continue where you left off"


@login_required
@require_POST
def enrol(request, course_id):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    enrolment = services.enrol(request.user, course)
    return redirect(start_target(enrolment, course).url)


@login_required
@require_POST
def complete_lesson(request, lesson_id):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    enrolment = services.enrolment_for(request.user, lesson)
    if enrolment is None:
        raise Http404
    enrolment = services.complete_lesson(enrolment, lesson)
    if request.headers.get("Accept") == "application/json":
        return JsonResponse(
            {"progress": enrolment.progress, "completed": enrolment.completed_at is not None}
        )
    return redirect(safe_next(request, request.POST.get("next"), lesson.url))


@login_required
@require_POST
def start_quiz(request, quiz_id):
    quiz_page = startable_quiz(quiz_id)
    if quiz_page is None:
        raise Http404
    try:
        attempt = quiz.start_attempt(request.user, quiz_page)
    except quiz.AttemptError as exc:
        messages.error(request, START_ERRORS.get(exc.code, _("The quiz cannot be started.")))
        return redirect(quiz_page.url)
    return redirect("attempt", attempt_id=attempt.pk)


START_ERRORS = {
    "not_enrolled": gettext_lazy("Enrol in the course first."),
    "limit": gettext_lazy("You have used all your attempts at this quiz."),
}


def _own_attempt(request, attempt_id, with_quiz=False):
    # Saving and submitting need only the attempt; joining the quiz page would cost every
    # answer saved a wider query.
    attempts = QuizAttempt.objects.select_related("quiz") if with_quiz else QuizAttempt.objects
    return get_object_or_404(attempts, pk=attempt_id, user=request.user)


@login_required
@require_GET
def attempt_view(request, attempt_id):
    attempt = quiz.close_expired(_own_attempt(request, attempt_id, with_quiz=True))
    quiz_page = attempt.quiz
    if attempt.is_open:
        responses = {r.question_key: r for r in attempt.responses.all()}
        items = attempt_items(attempt, responses)
        return render(
            request,
            "courses/attempt.html",
            {
                "attempt": attempt,
                "quiz": quiz_page,
                "items": items,
                "server_now": timezone.now(),
                "saved_matches": {
                    i["key"]: i["answer"] for i in items if i["qtype"] == "matching" and i["answer"]
                },
            },
        )
    passed_before = QuizAttempt.objects.of(request.user, quiz_page).filter(passed=True).exists()
    used = QuizAttempt.objects.of(request.user, quiz_page).count()
    can_retry = not attempt.passed and (not quiz_page.max_attempts or used < quiz_page.max_attempts)
    show_review = quiz.may_review(attempt, passed_before)
    responses = {r.question_key: r for r in attempt.responses.all()}
    return render(
        request,
        "courses/attempt_result.html",
        {
            "attempt": attempt,
            "quiz": quiz_page,
            "course": quiz_page.get_parent().specific,
            "can_retry": can_retry,
            "attempts_used": used,
            "show_review": show_review,
            "items": review_items(attempt, responses, show_review),
        },
    )


def _json_error(status, code, message):
    return JsonResponse({"error": code, "message": message}, status=status)


@login_required
@require_POST
def save_answer(request, attempt_id):
    if len(request.body) > MAX_ANSWER_BYTES:
        return _json_error(400, "too_large", _("The answer is too long."))
    try:
        payload = json.loads(request.body)
        key, answer, version = payload["key"], payload.get("answer"), payload["version"]
        if not isinstance(key, str) or isinstance(version, bool) or not isinstance(version, int):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _json_error(400, "malformed", _("The answer could not be read."))
    attempt = _own_attempt(request, attempt_id)
    try:
        new_version = quiz.save_answer(attempt, key, answer, version)
    except ResponseError:
        return _json_error(400, "invalid", _("This answer does not fit the question."))
    except quiz.AttemptError as exc:
        body = {"error": exc.code, "message": SAVE_ERRORS.get(exc.code, "")}
        if exc.code == "stale":
            # A retry whose first try was stored but whose reply was lost (a worker killed,
            # a dropped connection) lands here: with what is stored the page can tell its
            # own answer from another tab's and carry on with the current version.
            current = attempt.responses.filter(question_key=key).values("answer", "version")
            body.update(current.first() or {})
        return JsonResponse(body, status=409)
    return JsonResponse({"version": new_version, "saved_at": timezone.now().isoformat()})


SAVE_ERRORS = {
    "stale": gettext_lazy("This answer was changed in another window. Reload the page."),
    "closed": gettext_lazy("This attempt has already been submitted."),
    "deadline": gettext_lazy("Time is up: the attempt was submitted as it stood."),
}


@login_required
@require_POST
def submit(request, attempt_id):
    attempt = _own_attempt(request, attempt_id)
    if attempt.is_open:
        # The page has usually saved every answer already; write only what differs, so a
        # submission costs the same few queries however many questions the quiz has.
        stored = dict(attempt.responses.values_list("question_key", "answer"))
        for key, answer, version in answers_from_form(attempt, request.POST):
            if stored.get(key) == answer:
                continue
            try:
                quiz.save_answer(attempt, key, answer, version)
            except (ResponseError, quiz.AttemptError):
                continue  # already saved by the page, or no longer accepted
        quiz.submit_attempt(attempt)
    return redirect("attempt", attempt_id=attempt.pk)


@login_required
@require_GET
def dashboard(request):
    # Courses, units and quizzes are the same pages for every learner: shared, not joined.
    enrolments = with_shared_pages(
        DASHBOARD_ENROLMENTS.bind(user=request.user.pk), course=CoursePage, last_unit=Page
    )
    in_progress = [e for e in enrolments if e.completed_at is None]
    completed = [e for e in enrolments if e.completed_at is not None]
    year_start = timezone.make_aware(timezone.datetime(date.today().year, 1, 1))
    hours_total = sum((e.course.hours for e in completed), start=0)
    hours_year = sum((e.course.hours for e in completed if e.completed_at >= year_start), start=0)
    recent = with_shared_pages(DASHBOARD_ATTEMPTS.bind(user=request.user.pk), quiz=QuizPage)
    # A quiz's course is its parent page, found by tree path.
    courses = shared_pages(CoursePage, (course_path(a.quiz.path) for a in recent), by="path")
    for attempt in recent:
        course = courses.get(course_path(attempt.quiz.path))
        attempt.course_title = course.title if course else ""
    sections = sorted(
        (
            section
            for _receiver, section in dashboard_sections.send(
                sender=Enrolment, user=request.user, now=timezone.now()
            )
            if section
        ),
        key=lambda section: section.get("order", SECTION_ORDER),
    )
    return render(
        request,
        "courses/dashboard.html",
        {
            # Work waiting for a teacher or manager comes before their own learning.
            "top_sections": [s for s in sections if s.get("order", SECTION_ORDER) < TOP],
            "sections": [s for s in sections if s.get("order", SECTION_ORDER) >= TOP],
            "in_progress": in_progress,
            "completed": completed,
            "hours_total": hours_total,
            "hours_year": hours_year,
            "recent_attempts": recent,
            "continue_enrolment": in_progress[0] if in_progress else None,
        },
    )
