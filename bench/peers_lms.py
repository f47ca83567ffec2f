"""The wagtail-lms side of bench/peers.py: a minimal Wagtail project of its own, in a venv of
its own with the package from the index, its course and learner; its stock middleware also
serves the floor."""

import json
import os
import secrets
import subprocess
import sys

FLOOR_BYTES = 20 * 1024
LESSONS = 20
# About 2 KB of UTF-8 per lesson: 680 characters of Chinese text.
PARAGRAPH = (
    "质量管理体系要求组织识别过程及其相互作用，确定每个过程所需的输入和期望的输出，"
    "规定准则和方法以确保过程有效运行和受控，并对结果进行监视、测量和分析评价。"
)
LESSON_TEXT = (PARAGRAPH * 20)[:680]


# --- wagtail-lms and the floor, in a project of their own ------------------------------------

LMS_SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = {secret!r}
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "wagtail_lms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]
# The middleware of a new Wagtail project (`wagtail start`).
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]
ROOT_URLCONF = "lmsite.urls"
TEMPLATES = [
    {{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {{
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        }},
    }}
]
WSGI_APPLICATION = "lmsite.wsgi.application"
DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}}}
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static"
MEDIA_ROOT = BASE_DIR / "media"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
WAGTAIL_SITE_NAME = "lms"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
"""

LMS_URLS = """
from django.http import HttpResponse
from django.urls import include, path
from wagtail import urls as wagtail_urls

HEAD = "<!DOCTYPE html><html lang=zh-Hans><head><title>floor</title></head><body><p>"
TAIL = "</p></body></html>"
FLOOR = HEAD + "质" * (({floor_bytes} - len(HEAD) - len(TAIL)) // 3) + TAIL


def floor(request):
    return HttpResponse(FLOOR)


urlpatterns = [
    path("bench/floor/", floor),
    path("lms/", include("wagtail_lms.urls")),
    path("", include(wagtail_urls)),
]
"""

LMS_WSGI = """
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")
application = get_wsgi_application()
"""

LMS_BASE = """{% load static %}<!DOCTYPE html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>{{ page.title }}</title>
<link rel="stylesheet" href="{% static 'wagtail_lms/css/course.css' %}"></head>
<body>{% block content %}{% endblock %}</body></html>
"""

LMS_SETUP = """
import json

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from wagtail.models import Site
from wagtail_lms.models import CourseEnrollment, CoursePage, H5PLessonCompletion, H5PLessonPage

root = Site.objects.get(is_default_site=True).root_page
course = CoursePage(title="负载测试课程", slug="course", description="<p>二十课的课程。</p>")
root.add_child(instance=course)
course.save_revision().publish()
lessons = []
for number in range(1, {lessons} + 1):
    body = json.dumps([{{"type": "paragraph", "value": "<p>" + {text!r} + "</p>"}}])
    lesson = H5PLessonPage(title=f"第{{number}}课", slug=f"lesson-{{number}}", body=body)
    course.add_child(instance=lesson)
    lesson.save_revision().publish()
    lessons.append(lesson)
learner = get_user_model().objects.create_user("learner", password="quality-demo-2026")
CourseEnrollment.objects.create(user=learner, course=course)
for lesson in lessons[: {lessons} // 2]:
    H5PLessonCompletion.objects.create(user=learner, lesson=lesson)
store = SessionStore()
store[SESSION_KEY] = str(learner.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = learner.get_session_auth_hash()
store.create()
course.refresh_from_db()
print("BENCH " + json.dumps({{
    "course": course.url,
    "lesson": lessons[{lessons} // 2].url,
    "session": store.session_key,
}}))
"""


def build_lms(temp):
    """The wagtail-lms project: its own venv (the package and gunicorn from the index), its
    database, the course and the learner. Returns (project folder, env, urls and session)."""
    project = temp / "lms"
    (project / "lmsite").mkdir(parents=True)
    (project / "templates").mkdir()
    (project / "lmsite" / "__init__.py").write_text("")
    (project / "lmsite" / "settings.py").write_text(
        LMS_SETTINGS.format(secret=secrets.token_urlsafe(50))
    )
    (project / "lmsite" / "urls.py").write_text(LMS_URLS.format(floor_bytes=FLOOR_BYTES))
    (project / "lmsite" / "wsgi.py").write_text(LMS_WSGI)
    (project / "templates" / "base.html").write_text(LMS_BASE)
    venv = project / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "pip"), "install", "-q", "wagtail-lms", "gunicorn"]
    subprocess.run(pip, check=True, capture_output=True)
    env = {
        **{
            k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
        },
        "PYTHONPATH": str(project),
        "DJANGO_SETTINGS_MODULE": "lmsite.settings",
    }
    python = str(venv / "bin" / "python")
    django_admin = [python, "-m", "django"]
    subprocess.run([*django_admin, "migrate", "-v0"], cwd=project, env=env, check=True)
    subprocess.run([*django_admin, "collectstatic", "--noinput", "-v0"], cwd=project, env=env)
    setup = LMS_SETUP.format(lessons=LESSONS, text=LESSON_TEXT)
    done = subprocess.run(
        [*django_admin, "shell", "-c", setup], cwd=project, env=env, check=True, capture_output=True
    )
    version = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('wagtail-lms'))"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return project, env, bench_line(done.stdout), venv / "bin" / "gunicorn", version


def bench_line(output):
    lines = [line for line in output.decode().splitlines() if line.startswith("BENCH ")]
    return json.loads(lines[-1][len("BENCH ") :])
