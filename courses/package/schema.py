"""Reading and validating course packages (course-package/1, see docs/course-package.md).

Validation is complete before anything is written: a package either parses into a
``CoursePackage`` or raises ``PackageError`` naming the file, the unit and the key or line.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from courses.package.markdown import MarkdownError, markdown_to_blocks
from courses.package.unit_kinds import (
    ARCHIVE_UNIT_KEYS,
    DEFAULT_MINUTES,
    ArchiveUnit,
    UnitKindError,
    registered,
)

FORMAT = "course-package/1"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = {
    "format",
    "slug",
    "title",
    "summary",
    "language",
    "audiences",
    "subjects",
    "grade_band",
    "grades",
    "teacher_guide",
    "hours",
    "certificate",
    "units",
}
LESSON_KEYS = {"lesson", "title", "minutes", "video", "body"}
QUIZ_KEYS = {
    "quiz",
    "title",
    "pass_mark",
    "time_limit",
    "max_attempts",
    "shuffle",
    "review",
    "gift",
    "draw",
}
REVIEW_POLICIES = {"after_submit", "after_pass", "never"}
LANGUAGES = {"zh-hans", "en"}
GRADE_BANDS = {"primary", "junior", "senior"}
# The grades (年级) of each stage as classrooms count them (courses.models.GRADES_IN_BAND).
GRADES_IN_BAND = {"primary": (1, 6), "junior": (1, 3), "senior": (1, 3)}
# The course's teacher's guide answers at this path under the course, so no unit may take it.
RESERVED_UNIT_SLUGS = {"teacher-guide"}


class PackageError(ValueError):
    def __init__(self, message, *, file=None, unit=None, key=None, line=None):
        self.file, self.unit, self.key, self.line, self.message = file, unit, key, line, message
        super().__init__(str(self))

    def __str__(self):
        where = [str(self.file) if self.file else "<package>"]
        if self.unit:
            where.append(f"unit '{self.unit}'")
        if self.key:
            where.append(f"key '{self.key}'")
        if self.line:
            where.append(f"line {self.line}")
        return f"{', '.join(where)}: {self.message}"


@dataclass
class LessonUnit:
    slug: str
    title: str
    minutes: int
    body: str
    blocks: list
    video: str = ""


@dataclass
class QuizUnit:
    slug: str
    title: str
    pass_mark: int
    gift: str
    questions: list
    time_limit: int | None = None
    max_attempts: int | None = None
    shuffle: bool = True
    review: str = "after_submit"
    draw_bank: str = ""
    draw_count: int = 0


@dataclass
class CoursePackage:
    source: str
    slug: str
    title: str
    summary: str
    language: str
    audiences: list
    subjects: list
    grade_band: str
    hours: Decimal
    certificate: bool
    units: list = field(default_factory=list)
    grades: tuple | None = None  # (first, last) grade within the band, school courses only
    teacher_guide: str = ""  # Markdown, school courses only
    teacher_guide_blocks: list = field(default_factory=list)


def package_files(paths):
    """Expand files and folders into the list of package files, in a stable order."""
    files = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.suffix in {".yaml", ".yml"})
        elif path.is_file():
            files.append(path)
        else:
            raise PackageError("no such file or folder", file=path)
    return files


def load_package(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise PackageError("the file is not UTF-8 text", file=path) from exc
    return parse_package(text, source=path)


def parse_package(text, source="<package>"):
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise PackageError(
            f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
            file=source,
            line=mark.line + 1 if mark else None,
        ) from exc
    return _Validator(source, root).package(data)


class _Validator:
    def __init__(self, source, root):
        self.source = source
        self.lines = _key_lines(root)

    def fail(self, message, *, key=None, unit=None, path=None):
        return PackageError(
            message, file=self.source, unit=unit, key=key, line=self.lines.get(path or (key,))
        )

    def package(self, data):
        if not isinstance(data, dict):
            raise self.fail("a course package is a YAML mapping of keys to values")
        if data.get("format") != FORMAT:
            raise self.fail(
                f"unsupported format {data.get('format')!r}; this site reads {FORMAT!r}",
                key="format",
            )
        unknown = sorted(set(data) - TOP_KEYS)
        if unknown:
            raise self.fail(f"unknown key {unknown[0]!r}", key=unknown[0])
        slug = self.slug(data.get("slug"), key="slug")
        title = self.text(data.get("title"), key="title", limit=255)
        summary = self.text(data.get("summary") or "", key="summary", limit=600, required=False)
        language = data.get("language") or "zh-hans"
        if language not in LANGUAGES:
            raise self.fail(f"language must be one of {sorted(LANGUAGES)}", key="language")
        grade_band = data.get("grade_band") or ""
        if grade_band and grade_band not in GRADE_BANDS:
            raise self.fail(f"grade_band must be one of {sorted(GRADE_BANDS)}", key="grade_band")
        certificate = data.get("certificate", False)
        if not isinstance(certificate, bool):
            raise self.fail("certificate must be true or false", key="certificate")
        units = data.get("units")
        if not isinstance(units, list) or not units:
            raise self.fail("units must be a non-empty list", key="units")
        package = CoursePackage(
            source=str(self.source),
            slug=slug,
            title=title,
            summary=summary,
            language=language,
            audiences=self.slug_list(data.get("audiences"), "audiences"),
            subjects=self.slug_list(data.get("subjects"), "subjects"),
            grade_band=grade_band,
            hours=self.hours(data.get("hours")),
            certificate=certificate,
            grades=self.grades(data.get("grades"), grade_band),
        )
        package.teacher_guide, package.teacher_guide_blocks = self.teacher_guide(
            data.get("teacher_guide"), grade_band
        )
        seen = set()
        for index, unit in enumerate(units):
            parsed = self.unit(unit, index)
            if parsed.slug in seen:
                key = "quiz" if isinstance(parsed, QuizUnit) else getattr(parsed, "kind", "lesson")
                raise self.fail(
                    "unit slug used twice in this course",
                    unit=parsed.slug,
                    key=key,
                    path=("units", index, key),
                )
            seen.add(parsed.slug)
            package.units.append(parsed)
        return package

    def grades(self, value, grade_band):
        """``[first, last]`` within the band's grades, or None when the key is absent."""
        if value is None:
            return None
        if not grade_band:
            raise self.fail(
                "grades is for school courses only: give grade_band (primary, junior or senior)",
                key="grades",
            )
        low, high = GRADES_IN_BAND[grade_band]
        if (
            not isinstance(value, list)
            or len(value) != 2
            or any(isinstance(v, bool) or not isinstance(v, int) for v in value)
        ):
            raise self.fail(
                f"grades must be [first, last], two whole numbers from {low} to {high}",
                key="grades",
            )
        first, last = value
        if not low <= first <= last <= high:
            raise self.fail(
                f"grades must lie within {grade_band} grades {low} to {high}, first <= last "
                f"(got [{first}, {last}])",
                key="grades",
            )
        return (first, last)

    def teacher_guide(self, value, grade_band):
        """The guide's Markdown and its blocks; ("", []) when absent."""
        if value is None:
            return "", []
        if not grade_band:
            raise self.fail(
                "teacher_guide is for school courses only: give grade_band (primary, junior "
                "or senior)",
                key="teacher_guide",
            )
        text = self.text(value, key="teacher_guide")
        try:
            blocks = markdown_to_blocks(text)
        except MarkdownError as exc:
            raise self.embedded_error(exc, None, (), "teacher_guide") from exc
        return text, blocks

    def unit(self, unit, index):
        path = ("units", index)
        if not isinstance(unit, dict):
            raise self.fail(f"units[{index}] must be a mapping", key="units", path=path)
        if "quiz" in unit:
            return self.quiz(unit, path)
        for key, kind in registered().items():
            if key in unit and "lesson" not in unit:
                return self.archive_unit(kind, unit, path)
        if "lesson" not in unit:
            kinds = "".join(f", '{key}'" for key in sorted(registered()))
            raise self.fail(
                f"units[{index}] needs a 'lesson', 'quiz'{kinds} key with the unit slug",
                key="units",
                path=path,
            )
        slug, title = self.unit_head(unit, path, "lesson", LESSON_KEYS)
        minutes = self.whole_number(unit, "minutes", 1, 600, None, slug, path, required=True)
        video = unit.get("video") or ""
        if video and not (isinstance(video, str) and re.match(r"^https?://\S+$", video)):
            raise self.fail(
                "video must be an http(s) URL", unit=slug, key="video", path=(*path, "video")
            )
        body = self.text(unit.get("body"), key="body", unit=slug, path=(*path, "body"))
        try:
            blocks = markdown_to_blocks(body)
        except MarkdownError as exc:
            raise self.embedded_error(exc, slug, path, "body") from exc
        return LessonUnit(
            slug=slug, title=title, minutes=minutes, body=body, blocks=blocks, video=video
        )

    def quiz(self, unit, path):
        from courses.models.quiz import parse_quiz_gift
        from courses.questions.gift_reader import GiftError
        from courses.questions.registry import kind_of

        slug, title = self.unit_head(unit, path, "quiz", QUIZ_KEYS)

        def number(key, low, high, default):
            return self.whole_number(unit, key, low, high, default, slug, path)

        pass_mark = number("pass_mark", 0, 100, 60)
        time_limit = number("time_limit", 1, 600, None)
        max_attempts = number("max_attempts", 1, 100, None)
        shuffle = unit.get("shuffle", True)
        if not isinstance(shuffle, bool):
            raise self.fail(
                "shuffle must be true or false", unit=slug, key="shuffle", path=(*path, "shuffle")
            )
        review = unit.get("review", "after_submit")
        if review not in REVIEW_POLICIES:
            raise self.fail(
                f"review must be one of {sorted(REVIEW_POLICIES)}",
                unit=slug,
                key="review",
                path=(*path, "review"),
            )
        gift = unit.get("gift") or ""
        if not isinstance(gift, str):
            raise self.fail("gift must be text", unit=slug, key="gift", path=(*path, "gift"))
        try:
            questions = parse_quiz_gift(gift)
        except GiftError as exc:
            raise self.embedded_error(exc, slug, path, "gift", prefix="GIFT: ") from exc
        draw = unit.get("draw") or {}
        if not isinstance(draw, dict) or set(draw) - {"bank", "count"}:
            raise self.fail(
                "draw must be a mapping with 'bank' and 'count'",
                unit=slug,
                key="draw",
                path=(*path, "draw"),
            )
        count = draw.get("count", 0)
        if draw and (
            not isinstance(draw.get("bank"), str)
            or isinstance(count, bool)
            or not isinstance(count, int)
            or not 1 <= count <= 200
        ):
            raise self.fail(
                "draw needs a bank slug and a count from 1 to 200",
                unit=slug,
                key="draw",
                path=(*path, "draw"),
            )
        if not any(kind_of(q).gradable for q in questions) and not draw:
            raise self.fail(
                "a quiz needs questions (gift) or a draw from a bank",
                unit=slug,
                key="gift",
                path=(*path, "quiz"),
            )
        return QuizUnit(
            slug=slug,
            title=title,
            pass_mark=pass_mark,
            gift=gift.strip("\n") + "\n" if gift else "",
            questions=questions,
            time_limit=time_limit,
            max_attempts=max_attempts,
            shuffle=shuffle,
            review=review,
            draw_bank=draw.get("bank", ""),
            draw_count=count,
        )

    def archive_unit(self, kind, unit, path):
        """A unit of a kind registered by another app (SCORM, H5P): its archive is validated
        by that kind's reader now, and stored only when the whole import is written."""
        slug, title = self.unit_head(unit, path, kind.key, {kind.key} | ARCHIVE_UNIT_KEYS)
        minutes = self.whole_number(unit, "minutes", 1, 600, DEFAULT_MINUTES, slug, path)
        where = {"unit": slug, "key": "package", "path": (*path, "package")}
        name = unit.get("package")
        if not isinstance(name, str) or not name.strip() or Path(name).is_absolute():
            raise self.fail("package must be the archive's path, relative to this file", **where)
        file = Path(self.source).parent / name
        if not file.is_file():
            raise self.fail(f"no such file {name!r} (relative to this file)", **where)
        try:
            data = kind.read(unit, file)
        except UnitKindError as exc:
            raise self.fail(f"{name}: {exc}", **where) from exc
        return ArchiveUnit(kind.key, slug, title, minutes, file, data)

    def unit_head(self, unit, path, kind, allowed):
        """The unit's slug and title, after refusing keys this kind of unit does not take."""
        slug = self.slug(unit[kind], key=kind, path=(*path, kind))
        if slug in RESERVED_UNIT_SLUGS:
            raise self.fail(
                f"the unit slug {slug!r} is reserved for the course's teacher's guide",
                unit=slug,
                key=kind,
                path=(*path, kind),
            )
        unknown = sorted(set(unit) - allowed)
        if unknown:
            raise self.fail(
                f"unknown key {unknown[0]!r}", unit=slug, key=unknown[0], path=(*path, unknown[0])
            )
        title = self.text(
            unit.get("title"), key="title", unit=slug, path=(*path, "title"), limit=255
        )
        return slug, title

    def whole_number(self, unit, key, low, high, default, slug, path, required=False):
        value = unit.get(key, default)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(
                f"{key} must be a whole number from {low} to {high}",
                unit=slug,
                key=key,
                path=(*path, key),
            )
        return value

    def embedded_error(self, exc, slug, path, key, prefix=""):
        """An error inside a block of text (Markdown body, GIFT) at its line in the file."""
        start = self.lines.get((*path, key))
        line = start + exc.line if start and exc.line else start
        return PackageError(f"{prefix}{exc}", file=self.source, unit=slug, key=key, line=line)

    def slug(self, value, *, key, path=None):
        if not isinstance(value, str) or not SLUG.match(value) or len(value) > 80:
            raise self.fail(
                "must be a slug of lowercase letters, digits and hyphens (at most 80)",
                key=key,
                path=path,
            )
        return value

    def text(self, value, *, key, unit=None, path=None, limit=None, required=True):
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail("must be non-empty text", key=key, unit=unit, path=path)
        if limit and len(value) > limit:
            raise self.fail(f"is longer than {limit} characters", key=key, unit=unit, path=path)
        return value.strip()

    def slug_list(self, value, key):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise self.fail("must be a non-empty list of slugs", key=key)
        return list(dict.fromkeys(value))

    def hours(self, value):
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise self.fail("hours must be a number", key="hours")
        try:
            hours = Decimal(str(value)).quantize(Decimal("0.1"))
        except InvalidOperation as exc:
            raise self.fail("hours must be a number", key="hours") from exc
        if not Decimal(0) <= hours <= Decimal("999.9"):
            raise self.fail("hours must be between 0 and 999.9", key="hours")
        return hours


def _key_lines(root):
    """Map key paths (('units', 0, 'title'), ...) to 1-based line numbers in the YAML text."""
    lines = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                child = (*path, key_node.value)
                lines[child] = key_node.start_mark.line + 1
                walk(value_node, child)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                lines[(*path, index)] = item.start_mark.line + 1
                walk(item, (*path, index))

    if root is not None:
        walk(root, ())
    return lines
