"""Report figures on a city-sized database (made by `manage.py generate_city_data`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qa_city .venv/bin/python bench/reports.py

Times each administrator report (median of --runs after a warm-up), a training manager's
staff list of 500 people (an organisation made for the measurement inside a transaction that
is rolled back), and a CSV export of every learner, streamed to nowhere while the process's
peak resident memory is read before and after.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date
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

from accounts.models import Membership, Organisation, Role, User  # noqa: E402


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(client, url, runs):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    queries = len(ctx.captured_queries)
    assert response.status_code == 200, (url, response.status_code)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times), queries


def main(runs, start, end):
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    print(f"learners {User.objects.count():,}, organisations {Organisation.objects.count():,}")
    print(f"{'report':34} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for by in ("district", "industry", "size", "audience", "subject", "course"):
        url = f"/admin/reports/?start={start}&end={end}&by={by}"
        median, worst, queries = timed(client, url, runs)
        print(f"{'admin report by ' + by:34} {median:>10.0f} {worst:>8.0f} {queries:>8}")
    url = f"/admin/reports/figures.csv?start={start}&end={end}&by=district"
    median, worst, queries = timed(client, url, runs)
    print(f"{'figures CSV by district':34} {median:>10.0f} {worst:>8.0f} {queries:>8}")

    with transaction.atomic():
        organisation = Organisation.objects.create(
            kind="enterprise",
            name="基准测试企业",
            credit_code="91310115MA1K4BEN0P",  # a valid GB 32100 code, check character P
            district="310115",
            industry="C",
            size="large",
        )
        Membership.objects.create(user=admin, organisation=organisation, role=Role.MANAGER)
        staff = User.objects.filter(username__startswith="city-").order_by("pk")[:500]
        Membership.objects.bulk_create(
            Membership(user=u, organisation=organisation, department=f"车间{i % 8 + 1}")
            for i, u in enumerate(staff)
        )
        median, worst, queries = timed(client, "/org/staff/", runs)
        print(f"{'staff list, 500 people':34} {median:>10.0f} {worst:>8.0f} {queries:>8}")
        transaction.set_rollback(True)

    before = peak_mib()
    started = time.perf_counter()
    response = client.get(f"/admin/reports/learners.csv?start={start}&end={end}&by=district")
    rows = sum(chunk.count(b"\n") for chunk in response.streaming_content) - 1
    seconds = time.perf_counter() - started
    print(
        f"learners CSV: {rows:,} rows in {seconds:.1f} s; peak RSS {before:.0f} MiB before,"
        f" {peak_mib():.0f} MiB after"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--start", default="2025-01-01")
    parser.add_argument("--end", default=date.today().isoformat())
    args = parser.parse_args()
    main(args.runs, args.start, args.end)
