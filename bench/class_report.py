"""Render time and queries of the class report for a class of 50 pupils and 20 assignments.

Run against a database made by the first Quick start command (the demo catalog supplies the
courses and quizzes assigned):

    .venv/bin/python bench/class_report.py [--pupils 50] [--units 20] [--runs 30]

The class, its pupils and their learning records are built inside a transaction that is
rolled back at the end, so the database is left as it was. Requests go through Django's test
client (no network, no server): middleware, access check, queries, report and template.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DEBUG", "0")

import django

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.classrooms.bulk import build_class  # noqa: E402


class Rollback(Exception):
    pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=50)
    parser.add_argument("--units", type=int, default=20)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    # As Django's test runner does: keep one connection so its queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with transaction.atomic():
            teacher, classroom = build_class(args.pupils, args.units, tag=f"bench{time.time_ns()}")
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(teacher)
            url = f"/classes/{classroom.pk}/report/"
            client.get(url)  # warm-up: templates, translations, Wagtail's site lookup
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, response.status_code
            queries = len(ctx.captured_queries)  # read now: each request empties the log
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            raise Rollback
    except Rollback:
        pass
    times.sort()
    print(
        f"class report, {args.pupils} pupils x {args.units} assignments, {connection.vendor}: "
        f"{queries} queries, {len(response.content) / 1024:.1f} KB, "
        f"median {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms "
        f"({args.runs} runs after one warm-up)"
    )


if __name__ == "__main__":
    main()
