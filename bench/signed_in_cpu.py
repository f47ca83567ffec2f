"""Processor time of the pages a signed-in learner uses most, in one process, and of the
course page for an anonymous visitor.

Run from the repository root against a database made by ``manage.py bootstrap --demo``, with
the settings the web workers use (production settings need their environment; see
bench/harness.py for the variables the benchmarks set):

    .venv/bin/python bench/signed_in_cpu.py [--requests 300] [--wall]

The demo's ``learner``, signed in through Django's test client, enrolled in the first demo
course: that course's page, its first lesson, its first quiz, the dashboard and the catalog. After ten
warm-up requests each, ``--requests`` of each page in turns; and the course page for a visitor
without a session, which the page cache serves where it is on. It prints each page's
statements and median processor time (this process: middleware, the ORM, the templates; not
the database server's or the cache's); with ``--wall``, the median elapsed time instead, which
counts the round trips to the database and the cache.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--wall", action="store_true", help="elapsed time, not processor time")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from courses import services
    from courses.models import CoursePage, LessonPage, QuizPage

    learner = User.objects.get(username="learner")
    course = CoursePage.objects.live().order_by("path").first()
    services.enrol(learner, course)
    pages = {
        "course": course.url,
        "lesson": LessonPage.objects.child_of(course).live().order_by("path").first().url,
        "quiz": QuizPage.objects.child_of(course).live().order_by("path").first().url,
        "dashboard": "/dashboard/",
        "catalog": "/courses/",
    }
    host = os.environ.get("BENCH_HOST", "127.0.0.1")
    client = Client(HTTP_HOST=host, secure=True)
    client.force_login(learner)
    visitor = Client(HTTP_HOST=host, secure=True)
    clients = {name: client for name in pages}
    pages["anonymous"], clients["anonymous"] = course.url, visitor
    statements = {}
    for name, url in pages.items():
        client = clients[name]
        for _ in range(10):
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        statements[name] = len(queries.captured_queries)
    clock, unit = (time.perf_counter, "elapsed") if args.wall else (time.process_time, "CPU")
    spans = {name: [] for name in pages}
    for _ in range(args.requests):
        for name, url in pages.items():
            start = clock()
            clients[name].get(url)
            spans[name].append((clock() - start) * 1000)
    for name in pages:
        print(
            f"{name:9s} {statistics.median(spans[name]):.2f} ms {unit} (median of "
            f"{args.requests}), {statements[name]} statements"
        )


if __name__ == "__main__":
    main()
