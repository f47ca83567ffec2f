"""A web worker's memory: the resident size of one process after importing the WSGI
application and after serving the pages people use most, as a gunicorn sync worker does.

Run from the repository root against a database made by ``manage.py bootstrap --demo``
(the default install's SQLite file unless DATABASE_URL says otherwise):

    DEBUG=0 .venv/bin/python bench/worker_memory.py

It serves, in this process with Django's test client: the home page, the catalog, a course
and its first lesson anonymously, then the same course and lesson, the catalog and the
dashboard signed in as the demo learner. It prints the resident size (VmRSS) at each step
and which of the large libraries that only a few requests need were loaded by then.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")

# Libraries few requests need: PDF, spreadsheets, S3, signing, pinyin, Markdown, YAML, LTI.
FEW_REQUESTS = (
    "xhtml2pdf",
    "reportlab",
    "openpyxl",
    "boto3",
    "botocore",
    "segno",
    "pypinyin",
    "markdown_it",
    "yaml",
    "icalendar",
    "pypdf",
    "pylti1p3",
    "jwcrypto",
    "cryptography",
    "requests",
    "ninja",
    "pydantic",
    "psycopg",
)


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    print(f"interpreter:              {rss_mb():6.1f} MB")
    from cms.wsgi import application  # noqa: F401 (what a worker imports first)

    print(f"WSGI application loaded:  {rss_mb():6.1f} MB")
    from django.test import Client

    from accounts.models import User
    from courses.models import CoursePage, LessonPage

    course = CoursePage.objects.live().order_by("path").first()
    lesson = LessonPage.objects.child_of(course).live().order_by("path").first()
    pages = ["/", "/courses/", course.url, lesson.url]
    visitor = Client()
    for url in pages:
        assert visitor.get(url, HTTP_HOST="127.0.0.1").status_code == 200, url
    print(f"anonymous pages served:   {rss_mb():6.1f} MB  ({', '.join(pages)})")
    learner = Client()
    learner.force_login(User.objects.get(username="learner"))
    for url in [course.url, lesson.url, "/courses/", "/dashboard/"]:
        assert learner.get(url, HTTP_HOST="127.0.0.1").status_code == 200, url
    print(f"signed-in pages served:   {rss_mb():6.1f} MB")
    loaded = [name for name in FEW_REQUESTS if name in sys.modules]
    print("loaded of the libraries few requests need:", " ".join(loaded) or "none")


if __name__ == "__main__":
    main()
