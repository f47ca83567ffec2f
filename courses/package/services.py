"""Importing and exporting course packages: the only writers of courses outside the admin."""

from dataclasses import dataclass
from decimal import Decimal

import yaml
from django.db import transaction

from courses.models import Audience, CourseIndexPage, CoursePage, LessonPage, Subject
from courses.package.markdown import MarkdownError, blocks_to_markdown, markdown_to_blocks
from courses.package.schema import FORMAT, PackageError, load_package, package_files


@dataclass
class ImportResult:
    slug: str
    status: str  # created | updated | unchanged
    lessons: int


def import_packages(paths):
    """Validate every package, then write them all in one transaction (all or nothing)."""
    packages = [load_package(path) for path in package_files(paths)]
    slugs = [package.slug for package in packages]
    duplicate = next((slug for slug in slugs if slugs.count(slug) > 1), None)
    if duplicate:
        raise PackageError(f"two packages share the course slug {duplicate!r}", key="slug")
    terms = _resolve_terms(packages)
    with transaction.atomic():
        catalog = CourseIndexPage.objects.first()
        if catalog is None:
            raise PackageError("the site has no course catalog page to import into")
        return [_import_one(catalog, package, terms) for package in packages]


def _resolve_terms(packages):
    audiences = {term.slug: term for term in Audience.objects.all()}
    subjects = {term.slug: term for term in Subject.objects.all()}
    for package in packages:
        for key, known in (("audiences", audiences), ("subjects", subjects)):
            unknown = [slug for slug in getattr(package, key) if slug not in known]
            if unknown:
                raise PackageError(
                    f"unknown {key[:-1]} {unknown[0]!r}; this site knows "
                    f"{', '.join(sorted(known))}",
                    file=package.source,
                    key=key,
                )
    return {"audiences": audiences, "subjects": subjects}


def _course_facts(package):
    return {
        "title": package.title,
        "summary": package.summary,
        "language": package.language,
        "grade_band": package.grade_band,
        "hours": package.hours,
        "certificate": package.certificate,
    }


def _import_one(catalog, package, terms):
    facts = _course_facts(package)
    audiences = [terms["audiences"][slug] for slug in package.audiences]
    subjects = [terms["subjects"][slug] for slug in package.subjects]
    course = CoursePage.objects.child_of(catalog).filter(slug=package.slug).first()
    created = course is None
    if created:
        course = CoursePage(slug=package.slug, live=False, **facts)
        course.audiences = audiences
        course.subjects = subjects
        catalog.add_child(instance=course)
        course.save_revision().publish()
        changed = True
    else:
        course = course.get_latest_revision_as_object()
        changed = (
            any(getattr(course, name) != value for name, value in facts.items())
            or {t.slug for t in course.audiences.all()} != set(package.audiences)
            or {t.slug for t in course.subjects.all()} != set(package.subjects)
            or not course.live
        )
        if changed:
            for name, value in facts.items():
                setattr(course, name, value)
            course.audiences = audiences
            course.subjects = subjects
            course.save_revision().publish()
    changed |= _sync_lessons(course, package.units)
    status = "created" if created else ("updated" if changed else "unchanged")
    return ImportResult(slug=package.slug, status=status, lessons=len(package.units))


def _sync_lessons(course, units):
    existing = {lesson.slug: lesson for lesson in LessonPage.objects.child_of(course)}
    changed = False
    for unit in units:
        lesson = existing.pop(unit.slug, None)
        if lesson is None:
            lesson = LessonPage(slug=unit.slug, live=False, **_lesson_facts(unit))
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
            changed = True
        elif _lesson_differs(lesson, unit):
            lesson = lesson.get_latest_revision_as_object()
            for name, value in _lesson_facts(unit).items():
                setattr(lesson, name, value)
            lesson.save_revision().publish()
            changed = True
    for removed in existing.values():
        if removed.live:
            removed.unpublish()
            changed = True
    return _order_lessons(course, [unit.slug for unit in units]) or changed


def _lesson_facts(unit):
    return {
        "title": unit.title,
        "minutes": unit.minutes,
        "video_url": unit.video,
        "body": unit.blocks,
    }


def _lesson_differs(lesson, unit):
    if not lesson.live or lesson.has_unpublished_changes:
        return True
    if (lesson.title, lesson.minutes, lesson.video_url) != (unit.title, unit.minutes, unit.video):
        return True
    try:
        current = blocks_to_markdown(_stream_pairs(lesson.body))
    except MarkdownError:
        return True
    return current != blocks_to_markdown(markdown_to_blocks(unit.body))


def _order_lessons(course, slugs):
    children = list(LessonPage.objects.child_of(course).order_by("path"))
    wanted = [c for slug in slugs for c in children if c.slug == slug]
    wanted += [c for c in children if c.slug not in slugs]
    if [c.pk for c in children] == [c.pk for c in wanted]:
        return False
    for lesson in wanted:
        LessonPage.objects.get(pk=lesson.pk).move(course, pos="last-child")
    return True


def _stream_pairs(stream):
    pairs = []
    for block in stream:
        value = block.value
        if block.block_type in {"paragraph", "callout"}:
            value = value.source
        elif block.block_type == "heading":
            value = {"level": value["level"], "text": value["text"]}
        elif block.block_type == "table":
            value = {"data": value.get("data") or []}
        pairs.append((block.block_type, value))
    return pairs


class _PackageDumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _decimal_presenter(dumper, value):
    number = int(value) if value == value.to_integral_value() else float(value)
    return dumper.represent_data(number)


_PackageDumper.add_representer(str, _str_presenter)
_PackageDumper.add_representer(Decimal, _decimal_presenter)


def export_package(slug):
    """The live course as a course-package/1 YAML document."""
    course = CoursePage.objects.filter(slug=slug).first()
    if course is None:
        raise PackageError(f"no course with the slug {slug!r}", key="slug")
    units = []
    for lesson in LessonPage.objects.of_course(course):
        try:
            body = blocks_to_markdown(_stream_pairs(lesson.body))
        except MarkdownError as exc:
            raise PackageError(str(exc), unit=lesson.slug, key="body") from exc
        unit = {"lesson": lesson.slug, "title": lesson.title, "minutes": lesson.minutes}
        if lesson.video_url:
            unit["video"] = lesson.video_url
        unit["body"] = body
        units.append(unit)
    document = {
        "format": FORMAT,
        "slug": course.slug,
        "title": course.title,
        "summary": course.summary,
        "language": course.language,
        "audiences": [term.slug for term in course.audiences.all()],
        "subjects": [term.slug for term in course.subjects.all()],
        "grade_band": course.grade_band or None,
        "hours": course.hours,
        "certificate": course.certificate,
        "units": units,
    }
    return yaml.dump(
        document, Dumper=_PackageDumper, allow_unicode=True, sort_keys=False, width=1000
    )
