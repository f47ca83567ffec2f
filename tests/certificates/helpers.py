"""A short course of lessons only, finished through the learning engine's own services."""

import subprocess
from pathlib import Path

from courses import services as learning
from courses.models import CoursePage, LessonPage
from courses.package.services import import_packages
from tests.factories import package_dict, write_package


def lessons_course(tmp_path, slug="cert-course", **extra):
    data = package_dict(slug=slug, lessons=2, title=extra.pop("title", "企业计量管理实务"), **extra)
    write_package(tmp_path, data)
    import_packages([tmp_path / f"{slug}.yaml"])
    return CoursePage.objects.get(slug=slug)


def finish(user, course):
    """Enrol and complete every lesson: the certificate is issued on the last one."""
    enrolment = learning.enrol(user, course)
    for lesson in LessonPage.objects.child_of(course).live():
        enrolment = learning.complete_lesson(enrolment, lesson)
    return enrolment


def pdf_to_png(pdf_bytes, directory, name="certificate"):
    """Render the first page with poppler's pdftoppm, as the checks in the issue ask."""
    pdf = Path(directory) / f"{name}.pdf"
    pdf.write_bytes(pdf_bytes)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(Path(directory) / name)],
        check=True,
    )
    return Path(directory) / f"{name}.png"
