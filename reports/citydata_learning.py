"""Learning records of the city data set: enrolments, lesson progress, attempts, certificates.

Every enrolment gets an outcome first, so the totals come out exactly as asked (the lesson
progress and attempt counts are the benchmark's specification), and then a timeline, so each
record agrees with the others the way the learning engine would have left them:

- completed: every lesson completed, then failed attempts (if any) and a passed one; the
  enrolment completes when the quiz is passed, and a certificate follows if the course awards
  one;
- failed: every lesson completed, only failed attempts;
- skipped ahead: some lessons completed, then one attempt, passed or failed, not complete;
- browsing: some lessons seen (the last perhaps not finished), or none, and no attempt.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from wagtail.models import Page

from courses.models import CoursePage, LessonPage, QuizPage

# Share of quiz attempts that are the passing one: the per-attempt pass rate is about this
# plus half the skipped-ahead share, 70 to 80 per cent as in the city's own exam figures.
COMPLETED_OF_ATTEMPTS = 0.72
FAILED_OF_ENROLMENTS = 0.07
SKIPPED_OF_ENROLMENTS = 0.03
HOUR = 3600.0
DAY = 86400.0


@dataclass
class Course:
    page: CoursePage
    audiences: frozenset
    school: bool
    lessons: list  # (page id, minutes)
    quiz: QuizPage
    questions: int
    pass_k: int  # fewest right answers that pass
    popularity: float = 1.0
    ease: float = 1.0
    snapshot: dict = None


def load_courses(rng):
    """Live courses whose units are lessons and one quiz (all demo and generated ones)."""
    courses = []
    for page in CoursePage.objects.live().prefetch_related("audiences").order_by("path"):
        units = list(Page.objects.child_of(page).live().order_by("path").specific())
        lessons = [(u.pk, u.minutes) for u in units if isinstance(u, LessonPage)]
        quizzes = [u for u in units if isinstance(u, QuizPage)]
        if not lessons or len(quizzes) != 1:
            continue
        quiz = quizzes[0]
        questions = max(1, quiz.question_count)
        pass_k = next(k for k in range(questions + 1) if score(k, questions) >= quiz.pass_mark)
        audiences = frozenset(a.slug for a in page.audiences.all())
        courses.append(
            Course(
                page=page,
                audiences=audiences,
                school=bool(page.grade_band) or "school" in audiences,
                lessons=lessons,
                quiz=quiz,
                questions=questions,
                pass_k=pass_k,
                # Some courses are far more taken, and some far more finished, than others.
                popularity=rng.lognormvariate(0, 0.7),
                ease=rng.uniform(0.5, 2.0),
                snapshot={"pass_mark": quiz.pass_mark, "review": quiz.review, "items": []},
            )
        )
    return courses


def score(right, questions):
    return (Decimal(right) * 100 / questions).quantize(Decimal("0.01"))


def choose_courses(rng, people, courses, total):
    """Give everyone distinct courses, ``total`` enrolments in all, by audience and taste."""
    pools = {}
    for person in people:
        key = (person.org.kind == "school", person.audience)
        if key not in pools:
            pools[key] = _pool(courses, *key)
        person.courses = []
    wanted = [rng.choices((1, 2, 3, 4, 5, 6), (15, 20, 25, 20, 12, 8))[0] for _ in people]
    limits = [len(pools[(p.org.kind == "school", p.audience)]) for p in people]
    wanted = [min(w, limit) for w, limit in zip(wanted, limits, strict=True)]
    diff = total - sum(wanted)
    if not len(people) <= total <= sum(limits):
        raise ValueError("not enough courses for the enrolments asked for")
    while diff:
        i = rng.randrange(len(people))
        if diff > 0 and wanted[i] < limits[i]:
            wanted[i] += 1
            diff -= 1
        elif diff < 0 and wanted[i] > 1:
            wanted[i] -= 1
            diff += 1
    for person, count in zip(people, wanted, strict=True):
        pool = pools[(person.org.kind == "school", person.audience)]
        # Weighted sampling without replacement (Efraimidis and Spirakis): top keys win.
        keyed = sorted(pool, key=lambda cw: -(rng.random() ** (1 / cw[1])))
        person.courses = [course for course, _ in keyed[:count]]


def _pool(courses, school, audience):
    pool = []
    for course in courses:
        if school and not (course.school or "public" in course.audiences):
            continue
        if not school and course.page.grade_band:
            continue
        weight = course.popularity * (5 if audience in course.audiences else 1)
        pool.append((course, weight))
    return pool


@dataclass
class Plan:
    person: object
    course: Course
    kind: str = "browsing"
    rows: int = 0  # lesson-progress rows
    attempts: int = 0
    passes: bool = False


def plan_outcomes(rng, people, progress_total, attempt_total):
    plans = [Plan(person, course) for person in people for course in person.courses]
    completed = round(COMPLETED_OF_ATTEMPTS * attempt_total)
    failed = round(FAILED_OF_ENROLMENTS * len(plans))
    skipped = round(SKIPPED_OF_ENROLMENTS * len(plans))
    if completed + failed + skipped > min(len(plans), attempt_total):
        raise ValueError("more quiz takers than enrolments or attempts")
    # Easier courses get more of the completions (weighted choice without replacement).
    order = sorted(plans, key=lambda p: -(rng.random() ** (1 / p.course.ease)))
    rest = order[completed:]
    rng.shuffle(rest)
    for plan in order[:completed]:
        plan.kind, plan.rows, plan.attempts, plan.passes = (
            "completed",
            len(plan.course.lessons),
            1,
            True,
        )
    for plan in rest[:failed]:
        most = min(3, plan.course.quiz.max_attempts or 3)
        plan.kind, plan.rows = "failed", len(plan.course.lessons)
        plan.attempts = min(most, rng.choices((1, 2, 3), (50, 30, 20))[0])
    for plan in rest[failed : failed + skipped]:
        plan.kind, plan.attempts, plan.passes = "skipped", 1, rng.random() < 0.5
        plan.rows = rng.randint(0, len(plan.course.lessons) - 1)
    _spread_attempts(
        rng, order[:completed], rest[:failed], attempt_total - sum(p.attempts for p in plans)
    )
    browsing = rest[failed + skipped :]
    _spread_rows(rng, browsing, progress_total - sum(p.rows for p in plans))
    return plans


def _spread_attempts(rng, completers, failers, extra):
    """Add failed attempts before the pass (or drop failers' retries) to reach the total."""
    for plan in failers:
        while extra < 0 and plan.attempts > 1:
            plan.attempts -= 1
            extra += 1
    if extra < 0:
        raise ValueError("too few quiz attempts for the completions asked for")
    room = [p for p in completers if (p.course.quiz.max_attempts or 4) > 1]
    while extra and room:
        plan = rng.choice(room)
        if plan.attempts < (plan.course.quiz.max_attempts or 4):
            plan.attempts += 1
            extra -= 1
        else:
            room.remove(plan)
    if extra:
        raise ValueError("the quizzes' attempt limits leave no room for the attempts asked for")


def _spread_rows(rng, browsing, budget):
    capacity = sum(len(p.course.lessons) for p in browsing)
    if not 0 <= budget <= capacity:
        raise ValueError(
            f"the courses' lesson counts cannot give the lesson-progress total "
            f"({budget} rows left for {len(browsing)} browsing enrolments)"
        )
    for plan in browsing:
        plan.rows = rng.randint(0, len(plan.course.lessons))
    diff = budget - sum(p.rows for p in browsing)
    while diff:
        plan = rng.choice(browsing)
        if diff > 0 and plan.rows < len(plan.course.lessons):
            plan.rows += 1
            diff -= 1
        elif diff < 0 and plan.rows > 0:
            plan.rows -= 1
            diff += 1


def timeline(rng, plan, window_start, end):
    """The enrolment's events in seconds from its start, scaled and placed before ``end``."""
    course, quiz = plan.course, plan.course.quiz
    t = rng.uniform(0.02, 48) * HOUR
    lessons = []
    for index in range(plan.rows):
        lesson_id, minutes = course.lessons[index]
        spent = minutes * 60 * rng.uniform(0.7, 1.8)
        last_unfinished = plan.kind == "browsing" and index == plan.rows - 1 and rng.random() < 0.4
        if last_unfinished:
            spent *= rng.uniform(0.1, 0.6)
            lessons.append((lesson_id, t, None, int(spent)))
            t += spent
        else:
            lessons.append((lesson_id, t, t + spent, int(spent)))
            t += spent + min(9 * DAY, rng.expovariate(1 / (18 * HOUR)))
    attempts = []
    for number in range(1, plan.attempts + 1):
        passing = plan.passes and number == plan.attempts
        limit = quiz.time_limit
        took = (limit * 60 * rng.uniform(0.3, 0.95)) if limit else rng.uniform(5, 25) * 60
        attempts.append((number, t, t + took, passing))
        t += took + rng.uniform(1 * HOUR, 5 * DAY)
    span = max([0.0] + [x[2] or x[1] for x in lessons] + [x[2] for x in attempts])
    room = end - window_start - 60
    factor = min(1.0, room / span) if span else 1.0
    # Activity grows as the platform becomes known: the start is drawn from a density rising
    # linearly to 2.5 times its first value (inverse of the CDF x + 0.75 x^2, scaled).
    x = (math.sqrt(1 + 3 * 1.75 * rng.random()) - 1) / 1.5
    start = window_start + max(0.0, room - span * factor) * x
    return start, factor, lessons, attempts


def right_answers(rng, course, passing):
    n, k = course.questions, course.pass_k
    if passing:
        return min(n, k + int((n - k + 1) * rng.random() ** 0.6))
    return max(0, min(k - 1, int(k * rng.uniform(0.45, 1.0))))
