"""Processor time of a quiz start and of its attempt page, in one process.

Run from the repository root against a database made by ``manage.py bootstrap --demo``, with
the settings the web workers use (production settings need their environment; see
bench/harness.py for the variables the benchmarks set):

    .venv/bin/python bench/quiz_start_cpu.py [--learners 100]

It adds ``--learners`` accounts enrolled in the course of the demo's first live quiz (they
stay: use a database made for benchmarking). Through Django's test client, one learner
after another, each signed in first (not timed): two learners warm the process, then half
the rest each POST the start, then each of them GETs the attempt page it was sent to, twice,
in turns: once as served (unanswered questions shared, courses/templatetags/quiz_fields.py)
and once with every question rendered for that page alone. It prints the median processor
time (this process: Python, the ORM, the templates; not the database server's) and wall
time of each, and the statements of one start.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")


def timed(call):
    cpu, wall = time.process_time(), time.perf_counter()
    response = call()
    return response, (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def medians(spans):
    return (
        f"{statistics.median(c for c, _ in spans):.2f} ms CPU, "
        f"{statistics.median(w for _, w in spans):.2f} ms wall"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--learners", type=int, default=100)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from courses import services
    from courses.models import CoursePage, QuizPage
    from courses.quiz.attempts import build_snapshot
    from courses.templatetags import quiz_fields

    quiz = QuizPage.objects.live().order_by("path").first()
    course = CoursePage.objects.ancestor_of(quiz).first()
    stamp = time.time_ns()
    learners = []
    for n in range(args.learners):
        learner = User.objects.create(username=f"bench-start-{stamp}-{n}")
        services.enrol(learner, course)
        learners.append(learner)
    client = Client(HTTP_HOST=os.environ.get("BENCH_HOST", "127.0.0.1"), secure=True)
    url = f"/learn/quizzes/{quiz.pk}/start/"

    def start(learner):
        client.force_login(learner)
        response, cpu, wall = timed(lambda: client.post(url))
        assert response.status_code == 302, response.status_code
        return response["Location"], (cpu, wall)

    for learner in learners[:2]:
        start(learner)
    client.force_login(learners[2])
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url)
    assert response.status_code == 302, response.status_code
    # Copied now: the next request's request_started signal empties the connection's log.
    statements = [query["sql"] for query in queries.captured_queries]
    rest = learners[3:]
    started = [(learner, *start(learner)) for learner in rest[: len(rest) // 2]]
    shared = quiz_fields._unanswered
    pages = {"shared": [], "alone": []}
    for turn, (learner, location, _span) in enumerate(started):
        client.force_login(learner)
        for way in ("shared", "alone") if turn % 2 else ("alone", "shared"):
            # Alone: a store that starts empty and is dropped after the page.
            quiz_fields._unanswered = shared if way == "shared" else {}
            response, cpu, wall = timed(lambda location=location: client.get(location))
            assert response.status_code == 200, response.status_code
            pages[way].append((cpu, wall))
    quiz_fields._unanswered = shared

    items = len(build_snapshot(quiz)["items"])
    print(f"quiz: {quiz.title} ({course.title}), {items} questions; {len(started)} learners")
    print(f"start:        {medians([span for _l, _loc, span in started])}")
    print(f"attempt page: {medians(pages['shared'])}")
    print(f"  questions rendered for the page alone: {medians(pages['alone'])}")
    print(f"statements of one start, signing in left out: {len(statements)}")
    for sql in statements:
        print(f"  {sql[:120]}")


if __name__ == "__main__":
    main()
