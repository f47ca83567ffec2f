import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from classrooms.models import LearnerStatus
from classrooms.receivers import assignments_on_dashboard
from tests.classrooms.bulk import build_class

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12
# A download of pupils' data is recorded in the export log: a savepoint, the record, the
# people it held (one statement however many), the release.
EXPORT_RECORD_QUERIES = 4


def report_queries(client, pupils, units, tag):
    teacher, classroom = build_class(pupils, units, tag=tag)
    client.force_login(teacher)
    url = f"/classes/{classroom.pk}/report/"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_report_costs_the_same_queries_for_5x2_and_50x20(client, catalog):
    small, _ = report_queries(client, 5, 2, "small")
    large, html = report_queries(client, 50, 20, "large")
    assert small == large <= MAX_QUERIES
    assert html.count("<tr") == 51  # the head and 50 pupils
    assert str(LearnerStatus.OVERDUE.label) in html


def test_exports_and_the_pupils_assignments_cost_a_fixed_number_of_queries(client, catalog):
    """The export as the report; a pupil's assignments on the dashboard the same few queries
    whether they have 2 or 20 (the rest of the dashboard belongs to the learning engine)."""
    counts = []
    for pupils, units, tag in ((5, 2, "s"), (50, 20, "l")):
        teacher, classroom = build_class(pupils, units, tag=tag)
        client.force_login(teacher)
        with CaptureQueriesContext(connection) as export:
            assert client.get(f"/classes/{classroom.pk}/report.xlsx").status_code == 200
        pupil = classroom.pupils.order_by("pk").last().user
        with CaptureQueriesContext(connection) as dashboard:
            section = assignments_on_dashboard(sender=None, user=pupil, now=timezone.now())
        assert section["items"]
        counts.append((len(export.captured_queries), len(dashboard.captured_queries)))
    assert counts[0][0] == counts[1][0] <= MAX_QUERIES + EXPORT_RECORD_QUERIES
    # Classes, assignments, enrolments, attempts: a query is skipped when no assignment
    # needs it (no quiz among them, say), never added per assignment.
    assert max(counts[0][1], counts[1][1]) <= 4
