import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from classrooms.models import LearnerStatus
from tests.classrooms.bulk import build_class

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


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


def test_exports_and_the_pupil_dashboard_cost_a_fixed_number_of_queries(client, catalog):
    counts = []
    for pupils, units, tag in ((5, 2, "s"), (50, 20, "l")):
        teacher, classroom = build_class(pupils, units, tag=tag)
        client.force_login(teacher)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/classes/{classroom.pk}/report.xlsx").status_code == 200
        pupil = classroom.pupils.order_by("pk").last().user
        client.force_login(pupil)
        with CaptureQueriesContext(connection) as dash:
            assert client.get("/dashboard/").status_code == 200
        counts.append((len(ctx.captured_queries), len(dash.captured_queries)))
    assert counts[0][0] == counts[1][0] <= MAX_QUERIES
    assert counts[0][1] == counts[1][1]
