from courseware.models.packages import (
    Completion,
    ContentPackage,
    PackageKind,
    PackageRecord,
    Success,
)
from courseware.models.pages import H5PUnitPage, ScormUnitPage

__all__ = [
    "Completion",
    "ContentPackage",
    "H5PUnitPage",
    "PackageKind",
    "PackageRecord",
    "ScormUnitPage",
    "Success",
]
