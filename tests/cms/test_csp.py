"""The Content-Security-Policy: every page names a fresh nonce, every script on it carries
that nonce or comes from the site, and no element has an inline event handler."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group

from certificates.models import Certificate
from cms.setup import EDITORS
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course
from tests.courses.learning_helpers import quiz_course

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")
DATA_BLOCKS = {"application/json", "application/ld+json"}


class Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts, self.handlers, self._open = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.handlers += [(tag, name) for name in attrs if name.startswith("on")]
        if tag == "script":
            self._open = {**attrs, "body": ""}
            self.scripts.append(self._open)

    def handle_data(self, data):
        if self._open is not None:
            self._open["body"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._open = None


def policy(response):
    header = response["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in header.split(";") if part.strip())


def check_page(response):
    """The page's header names a nonce; every inline script carries it, every script with a
    nonce carries that one, and no element has an onclick= or the like."""
    assert response.status_code == 200
    directives = policy(response)
    assert "'self'" in directives["script-src"]
    assert "'unsafe-inline'" not in directives["script-src"]
    [nonce] = NONCE.findall(" ".join(directives["script-src"]))
    page = Scripts()
    page.feed(response.content.decode())
    assert page.handlers == []
    for script in page.scripts:
        if script.get("type") in DATA_BLOCKS:
            continue  # JSON read by a script, never run: CSP does not apply to it
        if not script.get("src") or "nonce" in script:
            assert script.get("nonce") == nonce, script
    return nonce, page.scripts


@pytest.fixture
def learning(client, catalog, tmp_path):
    learner = make_user(real_name="李喆")
    course, quiz = quiz_course(tmp_path)
    (tmp_path / "cert").mkdir()
    finish(learner, lessons_course(tmp_path / "cert"))
    client.force_login(learner)
    client.post(f"/learn/courses/{course.pk}/enrol/")
    attempt_url = client.post(f"/learn/quizzes/{quiz.pk}/start/")["Location"]
    return course, attempt_url, Certificate.objects.get(user=learner)


def test_public_pages_carry_the_policy_with_a_nonce(client, catalog):
    course = catalog.first()
    for path in ("/", "/courses/", course.url, course.get_children().live().first().url):
        check_page(client.get(path))


def test_a_learners_pages_and_the_quiz_run_their_scripts_by_the_nonce(client, learning):
    course, attempt_url, certificate = learning
    lesson = course.get_children().live().first()
    nonce, scripts = check_page(client.get(lesson.url))
    assert [s["src"] for s in scripts if s.get("src")] == ["/static/js/lesson.js"]

    attempt = client.get(attempt_url)
    _nonce, scripts = check_page(attempt)
    quiz = [s for s in scripts if s.get("src") == "/static/js/quiz.js"]
    assert len(quiz) == 1

    check_page(client.get("/dashboard/"))
    check_page(client.get(course.url))
    _nonce, scripts = check_page(client.get(f"/certificates/verify/{certificate.code}/"))
    assert [s["src"] for s in scripts if s.get("src")] == ["/static/js/verify.js"]

    # A fresh nonce for every response.
    assert check_page(client.get(lesson.url))[0] != nonce


def test_the_policy_forbids_what_it_should(client, catalog):
    directives = policy(client.get("/"))
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]


def test_the_wagtail_admin_is_left_out_of_the_strict_policy_and_still_opens(client, catalog):
    editor = make_user("csp-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    client.force_login(editor)
    for path in ("/admin/", "/admin/pages/"):
        response = client.get(path, follow=True)
        assert response.status_code == 200, path
        assert "Content-Security-Policy" not in response
