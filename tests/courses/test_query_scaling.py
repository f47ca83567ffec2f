"""Every page a signed-in learner uses costs the same number of queries at every data size:
more of their own records or more of everybody else's must never mean more queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from classrooms.progress import pupil_assignments
from courses.quiz import attempts
from tests.courses.scaling import SIZES, build_world
from training import assignments as staff_assignments

pytestmark = pytest.mark.django_db

# The costliest page (the dashboard of a pupil who is also staff) stays well under this.
MAX_QUERIES = 30


def learner_pages(world):
    """(name, method, url, payload, expected status), in an order that keeps each step's
    preconditions: the submission comes last but one, as it closes the open attempt."""
    attempt = world.open_attempt
    course_pk = world.course.pk
    return [
        ("dashboard", "get", "/dashboard/", None, 200),
        ("ledger", "get", "/dashboard/ledger/", None, 200),
        ("catalog", "get", "/courses/", None, 200),
        ("catalog filtered", "get", "/courses/?audience=frontline&subject=metrology", None, 200),
        ("course", "get", world.course.url, None, 200),
        ("lesson", "get", world.lesson.url, None, 200),
        ("complete lesson", "post", f"/learn/lessons/{world.lesson.pk}/complete/", {}, 302),
        ("enrol again", "post", f"/learn/courses/{course_pk}/enrol/", {}, 302),
        ("quiz", "get", world.quiz.url, None, 200),
        ("start quiz (resume)", "post", f"/learn/quizzes/{world.quiz.pk}/start/", {}, 302),
        ("attempt", "get", f"/learn/attempts/{attempt.pk}/", None, 200),
        ("answer (JSON)", "json", f"/learn/attempts/{attempt.pk}/answer/", "q-si", 200),
        ("result", "get", f"/learn/attempts/{world.finished.pk}/", None, 200),
        ("certificate PDF", "get", f"/certificates/{world.certificate.pk}/pdf/", None, 200),
        ("certificate verify", "get", world.certificate_verify_url, None, 200),
        ("class", "get", f"/classes/{world.classroom_pk}/", None, 200),
        ("class join form", "get", "/classes/join/", None, 200),
        ("class join link", "get", f"/classes/join/{world.join_code}/", None, 200),
        ("profile", "get", "/accounts/profile/", None, 200),
        ("submit", "submit", f"/learn/attempts/{attempt.pk}/submit/", {}, 302),
        ("submitted result", "get", f"/learn/attempts/{attempt.pk}/", None, 200),
    ]


def request(client, method, url, payload, version=0):
    if method == "get":
        return client.get(url)
    if method == "json":
        body = json.dumps({"key": payload, "answer": 0, "version": version})
        return client.post(url, body, content_type="application/json")
    return client.post(url, payload)


def measure_all(client, world):
    """{page: queries} for one learner, each after a warm-up request where one is harmless
    (caches filled, the visit recorded), as every request but the first sees it."""
    world.open_attempt = attempts.start_attempt(world.learner, world.quiz)
    client.force_login(world.learner)
    counts = {}
    for name, method, url, payload, status in learner_pages(world):
        version = 0
        if method != "submit":
            warm = request(client, method, url, payload)
            assert warm.status_code == status, (name, warm.status_code)
            version = 1
        with CaptureQueriesContext(connection) as ctx:
            response = request(client, method, url, payload, version)
        assert response.status_code == status, (name, response.status_code)
        counts[name] = len(ctx.captured_queries)
        SQL.setdefault(name, []).append([q["sql"][:160] for q in ctx.captured_queries])
    return counts


SQL = {}  # page: the queries of each measurement, printed when counts differ


def own_records(world):
    user, now = world.learner, timezone.now()
    return (
        user.enrolments.count(),
        user.quiz_attempts.count(),
        Certificate.objects.filter(user=user).count(),
        len(pupil_assignments(user, now=now)),
        len(staff_assignments.for_learner(user, now)),
    )


@pytest.mark.parametrize("size", ["M", "L"])
def test_every_learner_page_costs_the_same_queries_as_at_xs(client, catalog, tmp_path, size):
    xs_world = build_world(SIZES["XS"], "XS", tmp_path)
    xs = measure_all(client, xs_world)
    world = build_world(SIZES[size], size, tmp_path)
    # The larger learner really has more of everything the pages list.
    assert all(a > b for a, b in zip(own_records(world), own_records(xs_world), strict=True))
    larger = measure_all(client, world)
    # The small learner again, now among everybody else's data too.
    xs_among_many = measure_all(client, xs_world)
    table = {page: (xs[page], larger[page], xs_among_many[page]) for page in xs}
    grew = {page: row for page, row in table.items() if len(set(row)) > 1}
    for page in grew:
        for run in SQL[page][-3:]:
            print(page, *run, sep="\n  ")
    assert not grew, f"queries at XS, {size}, XS among {size}: {grew}"
    assert max(xs.values()) <= MAX_QUERIES, xs
