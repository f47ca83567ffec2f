"""Unit kinds that apps above courses add to the course package format.

courses may not import the apps that define SCORM and H5P units (docs/architecture.md), yet its
packages must read and write them. Such an app registers one ``UnitKind`` per YAML key from its
``AppConfig.ready()``; the package reader, importer and exporter ask this registry and know
nothing else about the kind. A kind's unit is an archive file (``package: PATH``, relative to
the YAML file) plus the title and expected minutes every unit has.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

# The keys every archive-backed unit takes besides its kind key.
ARCHIVE_UNIT_KEYS = {"title", "minutes", "package"}
DEFAULT_MINUTES = 10


class UnitKindError(ValueError):
    """A kind's reader refuses the archive; the message names the problem (not the file)."""


@dataclass
class ArchiveUnit:
    """A validated unit of a registered kind, before anything is written."""

    kind: str  # the YAML key: "scorm", "h5p"
    slug: str
    title: str
    minutes: int
    path: Path  # the archive on disk
    data: Any = field(default=None, repr=False)  # whatever the kind's reader returned


class UnitKind(Protocol):
    key: str  # the YAML key naming the unit's slug, e.g. "scorm"
    model_label: str  # "app_label.ModelName" of the unit's page
    suffix: str  # the archive's file suffix on export, e.g. ".zip"

    def read(self, unit: dict, path: Path) -> Any:
        """Validate the archive at ``path`` without writing anything; raise UnitKindError."""

    def page_facts(self, unit: ArchiveUnit, user=None) -> dict:
        """The page fields for the unit (storing its archive if new): compared with the page's
        own to tell an unchanged unit, and set on it when changed."""

    def archive_bytes(self, page) -> bytes:
        """The page's archive exactly as it was uploaded, for export."""


_KINDS: dict[str, UnitKind] = {}


def register(kind: UnitKind):
    """Called from an AppConfig.ready(); registering the same key again replaces it."""
    _KINDS[kind.key] = kind


def registered() -> dict[str, UnitKind]:
    return dict(_KINDS)


def kind_of_page(page):
    """The registered kind whose page model ``page`` is, or None."""
    label = page._meta.label
    return next((kind for kind in _KINDS.values() if kind.model_label == label), None)
