"""Certificate figures: render time and size of one PDF, and the verification page's cost.

    .venv/bin/python bench/certificate_pdf.py [--runs 200]

Renders a certificate (as issuing does: HTML template, QR code, embedded font subset) in
process, after one warm-up render that loads the font; then issues one certificate inside a
transaction that is rolled back and times its verification page through Django's test
client. Needs a database made by the first Quick start command.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
os.environ.setdefault("DEBUG", "0")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates import documents  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from certificates.services import issue_for, site_branding  # noqa: E402
from courses.models import CoursePage, Enrolment  # noqa: E402


def percentile(values, share):
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def main(runs):
    branding = site_branding()
    certificate = Certificate(
        code="A" * 32,
        number="QA202600000001",
        holder_name="欧阳堃喆",
        course_title="首席质量官履职能力提升：质量管理体系与卓越绩效模式",
        hours=Decimal("16.0"),
        completed_on=date.today(),
        issued_at=timezone.now(),
        expires_on=date.today().replace(year=date.today().year + 3),
        issuer_name=(branding.issuer_name or branding.platform_name) if branding else "质量学堂",
    )
    documents.pdf_bytes(certificate, branding)  # loads and parses the font once per process
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        size = len(documents.pdf_bytes(certificate, branding))
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"PDF render: median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms,"
        f" {size / 1024:.1f} KB ({runs} renders, seal {'on' if branding and branding.seal else 'off'})"
    )

    # A certificate issued for the measurement and rolled back afterwards; as Django's test
    # runner does, one connection is kept across requests so the transaction holds.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with transaction.atomic():
        issued = issue_one()
        measure_page(issued, runs)
        issued.pdf.delete(save=False)
        transaction.set_rollback(True)


def issue_one():
    learner = get_user_model().objects.create(username="bench-verify", real_name="欧阳堃喆")
    course = CoursePage.objects.live().filter(certificate=True).first()
    enrolment = Enrolment.objects.create(user=learner, course=course, completed_at=timezone.now())
    return issue_for(enrolment)


def measure_page(issued, runs):
    client = Client(HTTP_HOST="127.0.0.1")
    url = f"/certificates/verify/{issued.code}/"
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    queries = len(ctx.captured_queries)  # read now: each request resets the query log
    page_times = []
    for _ in range(runs):
        start = time.perf_counter()
        # A different visitor address each time keeps under the per-visitor limit.
        response = client.get(url, REMOTE_ADDR=f"10.0.{_ // 250}.{_ % 250}")
        assert response.status_code == 200, response.status_code
        page_times.append((time.perf_counter() - start) * 1000)
    print(
        f"verification page: {queries} queries, median"
        f" {statistics.median(page_times):.1f} ms, p95 {percentile(page_times, 0.95):.1f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    main(parser.parse_args().runs)
