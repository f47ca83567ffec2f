"""Importing and exporting course packages: the only writers of courses outside the admin."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml
from django.apps import apps
from django.db import transaction
from wagtail.models import Page

from courses.models import (
    Audience,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    QuestionBank,
    QuizPage,
    Subject,
)
from courses.package.markdown import MarkdownError, blocks_to_markdown, markdown_to_blocks
from courses.package.schema import (
    FORMAT,
    PackageError,
    QuizUnit,
    load_package,
    package_files,
)
from courses.package.unit_kinds import ArchiveUnit, UnitKindError, kind_of_page, registered


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
    banks = {bank.slug: bank for bank in QuestionBank.objects.all()}
    for package in packages:
        for unit in package.units:
            if isinstance(unit, QuizUnit) and unit.draw_bank and unit.draw_bank not in banks:
                raise PackageError(
                    f"question bank {unit.draw_bank!r} does not exist; create it first with "
                    "import_questions FILE --bank NAME",
                    file=package.source,
                    unit=unit.slug,
                    key="draw",
                )
    return {"audiences": audiences, "subjects": subjects, "banks": banks}


def _course_facts(package):
    return {
        "title": package.title,
        "summary": package.summary,
        "language": package.language,
        "grade_band": package.grade_band,
        "grade_min": package.grades[0] if package.grades else None,
        "grade_max": package.grades[1] if package.grades else None,
        "hours": package.hours,
        "certificate": package.certificate,
    }


def _guide_differs(course, package):
    """Compared as canonical Markdown, like lesson bodies, so an export re-imports unchanged."""
    try:
        current = blocks_to_markdown(_stream_pairs(course.teacher_guide))
    except MarkdownError:
        return True
    wanted = blocks_to_markdown(package.teacher_guide_blocks)
    return current != wanted


def _import_one(catalog, package, terms):
    facts = _course_facts(package)
    audiences = [terms["audiences"][slug] for slug in package.audiences]
    subjects = [terms["subjects"][slug] for slug in package.subjects]
    course = CoursePage.objects.child_of(catalog).filter(slug=package.slug).first()
    created = course is None
    if created:
        course = CoursePage(
            slug=package.slug, live=False, teacher_guide=package.teacher_guide_blocks, **facts
        )
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
            or _guide_differs(course, package)
        )
        if changed:
            for name, value in facts.items():
                setattr(course, name, value)
            course.teacher_guide = package.teacher_guide_blocks
            course.audiences = audiences
            course.subjects = subjects
            course.save_revision().publish()
    changed |= _sync_units(course, package.units, terms["banks"])
    status = "created" if created else ("updated" if changed else "unchanged")
    return ImportResult(slug=package.slug, status=status, lessons=len(package.units))


def _unit_model(unit):
    if isinstance(unit, ArchiveUnit):
        return apps.get_model(registered()[unit.kind].model_label)
    return QuizPage if isinstance(unit, QuizUnit) else LessonPage


def _unit_facts(unit, model, banks):
    if isinstance(unit, ArchiveUnit):
        try:
            return registered()[unit.kind].page_facts(unit)
        except UnitKindError as exc:
            raise PackageError(str(exc), unit=unit.slug, key="package") from exc
    return _quiz_facts(unit, banks) if model is QuizPage else _lesson_facts(unit)


def _sync_units(course, units, banks):
    existing = {page.slug: page for page in Page.objects.child_of(course).specific()}
    # Every unit's kind is checked before anything is written, archives stored included.
    for unit in units:
        page, model = existing.get(unit.slug), _unit_model(unit)
        if page is not None and not isinstance(page, model):
            raise PackageError(
                f"unit {unit.slug!r} is a {page._meta.verbose_name} on this site; a unit "
                "cannot change kind, give it a new slug",
                unit=unit.slug,
            )
    changed = False
    for unit in units:
        model = _unit_model(unit)
        facts = _unit_facts(unit, model, banks)
        page = existing.pop(unit.slug, None)
        if page is None:
            page = model(slug=unit.slug, live=False, **facts)
            course.add_child(instance=page)
            page.save_revision().publish()
            changed = True
        elif _unit_differs(page, unit, facts):
            page = page.get_latest_revision_as_object()
            for name, value in facts.items():
                setattr(page, name, value)
            page.save_revision().publish()
            changed = True
    for removed in existing.values():
        if removed.live:
            removed.unpublish()
            changed = True
    return _order_units(course, [unit.slug for unit in units]) or changed


def _lesson_facts(unit):
    return {
        "title": unit.title,
        "minutes": unit.minutes,
        "video_url": unit.video,
        "body": unit.blocks,
    }


def _quiz_facts(unit, banks):
    return {
        "title": unit.title,
        "pass_mark": unit.pass_mark,
        "time_limit": unit.time_limit,
        "max_attempts": unit.max_attempts,
        "shuffle": unit.shuffle,
        "review": unit.review,
        "gift": unit.gift,
        "draw_bank": banks.get(unit.draw_bank),
        "draw_count": unit.draw_count,
    }


def _unit_differs(page, unit, facts):
    if not page.live or page.has_unpublished_changes:
        return True
    if isinstance(page, QuizPage) or isinstance(unit, ArchiveUnit):
        return any(getattr(page, name) != value for name, value in facts.items())
    if (page.title, page.minutes, page.video_url) != (unit.title, unit.minutes, unit.video):
        return True
    try:
        current = blocks_to_markdown(_stream_pairs(page.body))
    except MarkdownError:
        return True
    return current != blocks_to_markdown(markdown_to_blocks(unit.body))


def _order_units(course, slugs):
    children = list(Page.objects.child_of(course).order_by("path"))
    wanted = [c for slug in slugs for c in children if c.slug == slug]
    wanted += [c for c in children if c.slug not in slugs]
    if [c.pk for c in children] == [c.pk for c in wanted]:
        return False
    for page in wanted:
        Page.objects.get(pk=page.pk).move(course, pos="last-child")
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


def _export_quiz(quiz):
    unit = {"quiz": quiz.slug, "title": quiz.title, "pass_mark": quiz.pass_mark}
    for name in ("time_limit", "max_attempts"):
        if getattr(quiz, name):
            unit[name] = getattr(quiz, name)
    unit["shuffle"] = quiz.shuffle
    unit["review"] = quiz.review
    if quiz.gift:
        unit["gift"] = quiz.gift
    if quiz.draw_bank_id and quiz.draw_count:
        unit["draw"] = {"bank": quiz.draw_bank.slug, "count": quiz.draw_count}
    return unit


def _export_archive(kind, page, directory, archives):
    """The unit's YAML; its archive, unchanged, is queued to be written into ``directory``."""
    if directory is None:
        raise PackageError(
            "this unit's package is an archive file: export the course to a file (-o PATH) "
            "so the archive can be written beside it",
            unit=page.slug,
        )
    name = f"{page.slug}{kind.suffix}"
    archives.append((Path(directory) / name, kind, page))
    return {kind.key: page.slug, "title": page.title, "minutes": page.minutes, "package": name}


def export_package(slug, directory=None):
    """The live course as a course-package/1 YAML document. The archives of SCORM and H5P
    units are written into ``directory``, beside where the caller puts the YAML."""
    course = CoursePage.objects.filter(slug=slug).first()
    if course is None:
        raise PackageError(f"no course with the slug {slug!r}", key="slug")
    try:
        guide = (
            blocks_to_markdown(_stream_pairs(course.teacher_guide)) if course.teacher_guide else ""
        )
    except MarkdownError as exc:
        raise PackageError(str(exc), key="teacher_guide") from exc
    units, archives = [], []
    for page in Page.objects.child_of(course).live().order_by("path").specific():
        kind = kind_of_page(page)
        if kind is not None:
            units.append(_export_archive(kind, page, directory, archives))
            continue
        if isinstance(page, QuizPage):
            units.append(_export_quiz(page))
            continue
        try:
            body = blocks_to_markdown(_stream_pairs(page.body))
        except MarkdownError as exc:
            raise PackageError(str(exc), unit=page.slug, key="body") from exc
        unit = {"lesson": page.slug, "title": page.title, "minutes": page.minutes}
        if page.video_url:
            unit["video"] = page.video_url
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
    }
    if course.grade_min is not None:
        document["grades"] = [course.grade_min, course.grade_max]
    document.update(hours=course.hours, certificate=course.certificate)
    if guide:
        document["teacher_guide"] = guide
    document["units"] = units
    # Written only once the whole course has exported without error.
    for path, kind, page in archives:
        path.write_bytes(kind.archive_bytes(page))
    return yaml.dump(
        document, Dumper=_PackageDumper, allow_unicode=True, sort_keys=False, width=1000
    )
