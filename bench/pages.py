"""In-process figures for the public pages: queries, bytes and render time per request.

Run against a database made by the first Quick start command:

    .venv/bin/python bench/pages.py [--requests 200]

It uses Django's test client (no network, no server), so times are the application's own
cost per request: middleware, Wagtail routing, queries and templates.
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
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from courses.models import CoursePage  # noqa: E402


def measure(client, url, requests):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {
        "status": response.status_code,
        "queries": queries,
        "kb": len(response.content) / 1024,
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    course = CoursePage.objects.live().get(slug="iso9001-essentials")
    urls = {
        "home": "/",
        "catalog": "/courses/",
        "catalog filtered": "/courses/?audience=frontline&subject=quality-management",
        "course": course.url,
        "lesson": course.lessons[0].url,
        "search 计量": "/search/?q=计量",
        "healthz": "/healthz",
    }
    # As Django's test runner does: keep one connection so its queries can be counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'page':18} {'status':>6} {'queries':>7} {'KB':>6} {'p50 ms':>7} {'p95 ms':>7}")
    for name, url in urls.items():
        row = measure(client, url, args.requests)
        print(
            f"{name:18} {row['status']:>6} {row['queries']:>7} {row['kb']:>6.1f} "
            f"{row['p50']:>7.2f} {row['p95']:>7.2f}"
        )
    print(
        f"database: {connection.vendor}; {CoursePage.objects.live().count()} live courses; "
        f"{args.requests} requests per page after one warm-up"
    )


if __name__ == "__main__":
    main()
