"""Processor time of the dashboard, in one process, for two kinds of learner.

Run from the repository root against a database made by ``manage.py bootstrap --demo``, with
the settings the web workers use (production settings need their environment; see
bench/harness.py for the variables the benchmarks set):

    .venv/bin/python bench/dashboard_cpu.py [--requests 400]

The two learners: a member of the public (an account of no organisation, made here once and
kept: use a database made for benchmarking), enrolled in three courses with two lessons done
in each; and the demo's ``learner``, staff of the demo enterprise. Each signed in through
Django's test client; after ten warm-up requests, ``--requests`` dashboards each, in turns.
It prints each one's statements and median processor time (this process: Python, the ORM,
the templates; not the database server's).
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
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from courses import services
    from courses.models import CoursePage, LessonPage

    public, created = User.objects.get_or_create(
        username="bench-public-learner", defaults={"real_name": "市民学员"}
    )
    if created:
        for course in CoursePage.objects.live().order_by("path")[:3]:
            enrolment = services.enrol(public, course)
            for lesson in LessonPage.objects.child_of(course).live().order_by("path")[:2]:
                enrolment = services.complete_lesson(enrolment, lesson)
    learners = {"public": public, "staff": User.objects.get(username="learner")}
    host = os.environ.get("BENCH_HOST", "127.0.0.1")
    clients = {}
    for name, user in learners.items():
        clients[name] = Client(HTTP_HOST=host, secure=True)
        clients[name].force_login(user)
        for _ in range(10):
            assert clients[name].get("/dashboard/").status_code == 200
    statements = {}
    for name, client in clients.items():
        with CaptureQueriesContext(connection) as queries:
            client.get("/dashboard/")
            statements[name] = len(queries.captured_queries)
    spans = {name: [] for name in clients}
    for _ in range(args.requests):
        for name, client in clients.items():
            cpu = time.process_time()
            client.get("/dashboard/")
            spans[name].append((time.process_time() - cpu) * 1000)
    for name in clients:
        print(
            f"{name:7s} dashboard: {statistics.median(spans[name]):.2f} ms CPU (median of "
            f"{args.requests}), {statements[name]} statements"
        )


if __name__ == "__main__":
    main()
