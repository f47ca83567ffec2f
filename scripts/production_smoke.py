"""A learner's and a training manager's day on the production set-up, through real servers.

    .venv/bin/python scripts/production_smoke.py

Starts what docs/operations.md describes, on this machine: two gunicorn instances for the
pages (standing for two web machines, each with 2 sync workers), one for the quiz pool, one
`manage.py db_worker`, all with the production settings, a PostgreSQL database of their own
(``qa_smoke``, dropped at the end), Redis for the cache, sessions and page cache, and nginx
in front with the runbook's routes. nginx takes turns between the two page instances on
every request, so that nothing may live in one web process. Then, over HTTP through nginx:

anonymous pages and the page cache; sign-in through the real form; enrol, study, take and
pass the quiz, its answers saved by the quiz pool and nothing else served there; the
certificate PDF and its public verification; a training manager's ZIP of certificates,
built by the worker; a publish that every instance shows at once; and rate limits counted
per client, not per nginx (two clients connecting from 127.0.0.2 and 127.0.0.3).

``--database`` names the database made and dropped (``qa_smoke``); BENCH_REDIS_URL picks
the Redis database (0), where the run keeps to a key prefix of its own.

Prints each step and exits 1 at the first one that fails. CI runs it (.ci/run).
"""

import argparse
import json
import re
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import yaml
from harness import Platform, http_request

PASSWORD = "smoke-test-password-2026"
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION = re.compile(r'data-key="([^"]+)" data-type="([^"]+)"')
VERSION = re.compile(r'name="v-([^"]+)" value="(\d+)"')
TOO_MANY_SIGN_INS = "登录失败次数过多"
COURSE = {
    "format": "course-package/1",
    "slug": "smoke-metrology",
    "title": "计量法入门",
    "summary": "《中华人民共和国计量法》（1985年公布）的基本要求。",
    "language": "zh-hans",
    "audiences": ["small-enterprise"],
    "subjects": ["metrology"],
    "grade_band": None,
    "hours": 2,
    "certificate": True,
    "units": [
        {
            "lesson": "law",
            "title": "第1课：计量法的基本要求",
            "minutes": 10,
            "body": "## 法定计量单位\n国家实行法定计量单位制度。\n",
        },
        {
            "quiz": "final",
            "title": "结业测验",
            "pass_mark": 60,
            "review": "after_submit",
            "gift": (
                "::q1:: 国家实行法定计量单位制度。 {T}\n\n"
                "::q2:: 用于贸易结算的计量器具属于强制检定的范围。 {T}\n"
            ),
        },
    ],
}


class Failure(Exception):
    pass


class Browser:
    """One visitor's cookies, sent through the proxy; ``source``, the local address the
    visitor connects from (127.0.0.1 unless given), is what nginx appends to
    X-Forwarded-For."""

    def __init__(self, port, source=None):
        self.port = port
        self.source = source
        self.cookies = {}

    def request(self, method, path, form=None, json_body=None, csrf=None, expect=200):
        port = self.port
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif json_body is not None:
            body = json.dumps(json_body)
            headers["Content-Type"] = "application/json"
        if csrf:
            headers["X-CSRFToken"] = csrf
        if method == "POST":
            headers["Referer"] = "http://127.0.0.1/"
        status, response_headers, content = http_request(
            port, method, path, body, headers, source=self.source
        )
        for header in response_headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        if status not in (expect if isinstance(expect, tuple) else (expect,)):
            raise Failure(f"{method} {path}: {status}, expected {expect}")
        return response_headers, content

    def get(self, path, expect=200):
        """Headers and body; ``expect`` is the status, or a tuple of those allowed."""
        return self.request("GET", path, expect=expect)

    def page(self, path):
        return self.get(path)[1].decode()

    def post_form(self, path, fields, page=None, expect=302):
        html = self.page(page or path)
        token = CSRF_FIELD.search(html).group(1)
        return self.request(
            "POST", path, form={"csrfmiddlewaretoken": token, **fields}, expect=expect
        )


def step(text):
    print(f"  ✓ {text}", flush=True)


def prepare_people(package_path):
    from allauth.account.models import EmailAddress

    from accounts.models import Membership, Organisation, Role, User
    from courses.models import CoursePage
    from courses.package.services import import_packages

    import_packages([package_path])
    course = CoursePage.objects.get(slug=COURSE["slug"])
    organisation = Organisation.objects.create(
        kind="enterprise",
        name="上海冒烟测试计量器具有限公司",
        credit_code="91310115MA1K4BEN0P",
        district="310115",
        industry="C",
        size="small",
    )
    people = {}
    for username, role in (
        ("smoke-learner", Role.LEARNER),
        ("smoke-manager", Role.MANAGER),
        ("smoke-target", Role.LEARNER),
        ("smoke-classmate", Role.LEARNER),
    ):
        user = User.objects.create_user(
            username,
            email=f"{username}@example.com",
            password=PASSWORD,
            real_name="冒烟测试学员" if role == Role.LEARNER else "冒烟测试经理",
            audience="small-enterprise",
            district="310115",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Membership.objects.create(user=user, organisation=organisation, role=role)
        people[username] = user
    return course


def sign_in(browser, username):
    browser.post_form("/accounts/login/", {"login": username, "password": PASSWORD})
    if "sessionid" not in browser.cookies:
        raise Failure(f"{username}: no session after signing in")


def learner_journey(browser, course):
    from courses.models import LessonPage, QuizPage

    lesson = LessonPage.objects.child_of(course).get()
    quiz = QuizPage.objects.child_of(course).get()
    sign_in(browser, "smoke-learner")
    step("the learner signs in through the form; the session lives in Redis and PostgreSQL")

    if 'href="/dashboard/"' not in browser.page(course.url):
        raise Failure("the signed-in course page is not the learner's own")
    browser.post_form(f"/learn/courses/{course.pk}/enrol/", {}, page=course.url)
    browser.post_form(
        f"/learn/lessons/{lesson.pk}/complete/", {"next": lesson.url}, page=lesson.url
    )
    step("enrols and completes the lesson")

    headers, _ = browser.post_form(f"/learn/quizzes/{quiz.pk}/start/", {}, page=quiz.url)
    attempt = headers["Location"]
    html = browser.page(attempt)
    token = CSRF_FIELD.search(html).group(1)
    versions = dict(VERSION.findall(html))
    for key, _type in QUESTION.findall(html):
        _, content = browser.request(
            "POST",
            f"{attempt}answer/",
            json_body={"key": key, "answer": True, "version": int(versions[key])},
            csrf=token,
        )
        versions[key] = str(json.loads(content)["version"])
    fields = {"csrfmiddlewaretoken": token}
    for key, version in versions.items():
        fields.update({f"v-{key}": version, f"q-{key}": "true"})
    headers, _ = browser.request("POST", f"{attempt}submit/", form=fields, expect=302)
    browser.get(headers["Location"])
    from courses.models import Enrolment

    if Enrolment.objects.get(user__username="smoke-learner").completed_at is None:
        raise Failure("passing the last unit did not complete the course")
    step("starts the quiz, saves both answers, submits, passes and completes the course")


PAGE_INSTANCES = ("gunicorn-web1", "gunicorn-web2")
ANSWER = re.compile(r"/learn/attempts/\d+/answer/")
REQUEST_LINE = re.compile(r'"([A-Z]+) (\S+) HTTP/')


def quiz_pool_check(bench):
    """The proxy sent the answers to the quiz pool, and nothing else."""
    answers, others = 0, []
    for method, path in REQUEST_LINE.findall(bench.log("gunicorn-quiz").read_text()):
        if method == "POST" and ANSWER.fullmatch(path):
            answers += 1
        elif (method, path) != ("GET", "/healthz"):  # the start-up check, not through nginx
            others.append(f"{method} {path}")
    if answers != 2 or others:
        raise Failure(f"the quiz pool served {answers} answers and {others}")
    for name in PAGE_INSTANCES:
        pages = REQUEST_LINE.findall(bench.log(name).read_text())
        if len(pages) < 10 or any(ANSWER.fullmatch(path) for _, path in pages):
            raise Failure(f"{name} served {len(pages)} requests, answers among them")
    step("nginx sent both answers to the quiz pool and nothing else; the pages went to both")


def wait_for(condition, failure, seconds=60):
    """What ``condition()`` returns once it is true: work done by the task worker."""
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise Failure(failure)
        time.sleep(0.5)
    return result


def certificate_journey(browser, visitor):
    from certificates.models import Certificate

    certificate = wait_for(
        lambda: Certificate.objects.filter(user__username="smoke-learner").first(),
        "the worker did not issue the certificate within 60 s",
    )
    headers, pdf = browser.get(f"/certificates/{certificate.pk}/pdf/")
    if not pdf.startswith(b"%PDF") or headers["Content-Type"] != "application/pdf":
        raise Failure("the certificate download is not a PDF")
    step(f"certificate {certificate.number} issued by db_worker; its holder downloads the PDF")
    verify = visitor.page(f"/certificates/verify/{certificate.code}/?format=json")
    if json.loads(verify).get("state") != "valid":
        raise Failure(f"verification says {verify}")
    step("anyone verifies it as valid")
    return certificate


def export_journey(browser):
    sign_in(browser, "smoke-manager")
    headers, _ = browser.post_form("/org/certificates/", {}, expect=302)
    status_url = headers["Location"]
    wait_for(
        lambda: "/download/" in browser.page(status_url),
        "the worker did not build the ZIP within 60 s",
    )
    _, archive = browser.get(f"{status_url}download/")
    if not archive.startswith(b"PK"):
        raise Failure("the export is not a ZIP")
    step("the training manager's ZIP of certificates is built by db_worker and downloaded")


def cache_journey(visitor, course):
    home_first = visitor.get("/")[0].get("X-Cache")
    seen = {visitor.get("/")[0].get("X-Cache") for _ in range(3)}
    if home_first != "miss" or seen != {"hit"}:
        raise Failure(f"home page cache: first {home_first}, then {seen}")
    step("an anonymous visitor's home page is kept once and served from Redis by both instances")
    for _ in range(2):
        visitor.get(course.url)
    course.title = "计量法入门（修订版）"
    course.save_revision().publish()
    for _ in range(2):
        _, content = visitor.get(course.url)
        if "计量法入门（修订版）" not in content.decode():
            raise Failure("an instance still serves the course page from before the publish")
    step("a publish reaches both instances' visitors at once")


def per_client_journey(proxy):
    """Two people behind the same nginx, on their own addresses: the limits count each."""
    guesser = Browser(proxy, source="127.0.0.2")
    classmate = Browser(proxy, source="127.0.0.3")
    for _ in range(5):
        guesser.post_form(
            "/accounts/login/", {"login": "smoke-target", "password": "wrong"}, expect=200
        )
    _, page = guesser.post_form(
        "/accounts/login/", {"login": "smoke-target", "password": PASSWORD}, expect=200
    )
    if TOO_MANY_SIGN_INS not in page.decode():
        raise Failure("an account guessed at five times still let a sixth sign-in through")
    sign_in(classmate, "smoke-classmate")
    step("an account guessed at is held; another person behind the same nginx signs in")

    unknown = "/certificates/verify/" + "A" * 32 + "/?format=json"
    states = []
    while "rate_limited" not in states:
        _, body = guesser.get(unknown, expect=(404, 429))
        states.append(json.loads(body)["state"])
        if len(states) > 200:
            raise Failure("certificate look-ups from one client were never limited")
    _, body = classmate.get(unknown, expect=404)
    if json.loads(body)["state"] != "unknown":
        raise Failure(f"the other client's look-up was limited too: {body!r}")
    step(
        f"certificate look-ups limited for the client that made {len(states) - 1}, "
        "not for the other one: counted per client, not per nginx"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database", default="qa_smoke")
    args = parser.parse_args()
    with Platform(args.database, env={"STAFF_TWO_FACTOR_REQUIRED": "0"}) as bench:
        print("preparing the database and both instances ...", flush=True)
        bench.prepare()
        package = bench.temp / "smoke.yaml"
        package.write_text(yaml.safe_dump(COURSE, allow_unicode=True, sort_keys=False), "utf-8")
        bench.setup_django()
        from django.db import connections

        course = prepare_people(package)
        connections.close_all()
        pages = []
        for name in PAGE_INSTANCES:
            bench.start_gunicorn(2, name=name, access_log=True)
            pages.append(bench.port)
        bench.start_gunicorn(2, name="gunicorn-quiz", access_log=True)
        proxy = bench.start_proxy(pages, [bench.port])
        bench.start_worker()
        print(
            f"nginx on port {proxy}: pages on {pages[0]} and {pages[1]}, "
            f"quiz pool on {bench.port}; db_worker running",
            flush=True,
        )
        try:
            visitor = Browser(proxy)
            cache_journey(visitor, course)
            learner = Browser(proxy)
            learner_journey(learner, course)
            quiz_pool_check(bench)
            certificate_journey(learner, visitor)
            export_journey(Browser(proxy))
            per_client_journey(proxy)
        except Failure as failure:
            print(f"  ✗ {failure}")
            for name in ("nginx", *PAGE_INSTANCES, "gunicorn-quiz", "worker"):
                print(f"--- {name} log (last lines)\n{bench.log_tail(name, 30)}")
            return 1
        finally:
            connections.close_all()
    print("production smoke: all steps passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
