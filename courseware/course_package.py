"""SCORM and H5P units in course packages (docs/course-package.md): ``- scorm: SLUG`` and
``- h5p: SLUG`` with ``package: PATH``. Registered with courses.package.unit_kinds from
CoursewareConfig.ready(), since courses may not import this app.

Reading validates the archive with the same checks as an upload in the admin and writes
nothing; the archive is stored (once per SHA-256) only when the import writes its pages.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from courses.package.unit_kinds import UnitKindError, register
from courseware import storage
from courseware.models.packages import PackageKind
from courseware.parsing import PackageError, inspect_archive
from courseware.services import limits, store_package


class ArchiveUnitKind:
    def __init__(self, key, model_label, suffix, kinds, wrong_kind):
        self.key, self.model_label, self.suffix = key, model_label, suffix
        self.kinds, self.wrong_kind = kinds, wrong_kind

    def read(self, unit, path):
        size = path.stat().st_size
        if size > settings.COURSEWARE_MAX_UPLOAD_BYTES:
            raise UnitKindError(
                _("The file is larger than %(limit)d MB.")
                % {"limit": settings.COURSEWARE_MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        try:
            with open(path, "rb") as handle:
                facts = inspect_archive(handle, limits(), size)
        except PackageError as error:
            raise UnitKindError(str(error)) from None
        except (ValueError, RuntimeError, NotImplementedError, OSError, EOFError):
            # zipfile's own errors for a member it cannot read (a bad CRC, an unknown method).
            raise UnitKindError(
                _("The archive is damaged: a file inside it cannot be unpacked.")
            ) from None
        if facts.kind not in self.kinds:
            raise UnitKindError(self.wrong_kind)
        return facts

    def page_facts(self, unit, user=None):
        try:
            package = store_package(unit.path, user=user)
        except ValidationError as error:  # read() passed, so only the disk can fail here
            raise UnitKindError(" ".join(error.messages)) from None
        return {"title": unit.title, "minutes": unit.minutes, "package": package}

    def archive_bytes(self, page):
        return storage.archive_path(page.package.sha256).read_bytes()


def register_unit_kinds():
    register(
        ArchiveUnitKind(
            "scorm",
            "courseware.ScormUnitPage",
            ".zip",
            {PackageKind.SCORM_12, PackageKind.SCORM_2004},
            "this is an H5P file, not a SCORM package: make the unit '- h5p: SLUG'",
        )
    )
    register(
        ArchiveUnitKind(
            "h5p",
            "courseware.H5PUnitPage",
            ".h5p",
            {PackageKind.H5P},
            "this is a SCORM package, not an H5P file: make the unit '- scorm: SLUG'",
        )
    )
