"""Reading an uploaded SCORM or H5P archive without trusting it.

``inspect_archive`` opens the zip, refuses what would be unsafe to unpack or serve (paths
that climb out with ``..``, absolute paths, links, too many files, a zip bomb) and parses the
manifest: SCORM's imsmanifest.xml (1.2 and 2004, with defusedxml: no entities, no external
references) or H5P's h5p.json with its content and libraries. It writes nothing; the caller
(courseware/services.py) stores the package only once everything here has passed.
"""

import json
import stat
import zipfile
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from defusedxml import ElementTree
from django.utils.translation import gettext as _

from courseware.models.packages import PackageKind

ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
XML_NS = "http://www.w3.org/XML/1998/namespace"


class PackageError(ValueError):
    """The archive is refused; the message names the problem for the person who uploaded it."""


@dataclass(frozen=True)
class Limits:
    max_files: int
    max_bytes: int  # uncompressed, all files together
    max_ratio: int  # uncompressed / compressed, for the archive and for each large file


@dataclass
class PackageFacts:
    kind: str
    manifest: dict
    members: list = field(default_factory=list)  # (name in archive, safe relative path)

    @property
    def file_count(self):
        return len(self.members)


# A file this small may compress far better than any limit without being a bomb.
RATIO_FLOOR = 1024 * 1024


def safe_path(name):
    """The member's path, normalised, or None when it must not be unpacked."""
    name = name.replace("\\", "/")
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if not parts or any(part == ".." for part in parts):
        return None
    if any("\x00" in part for part in parts):
        return None
    return "/".join(parts)


def _is_link(info):
    mode = info.external_attr >> 16
    return info.create_system == 3 and stat.S_ISLNK(mode)


def open_archive(fileobj):
    try:
        return zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise PackageError(
            _("The file is not a zip archive (a SCORM .zip or an H5P .h5p file is one).")
        ) from None


def check_members(archive, limits, archive_size):
    """The archive's files as (member name, safe path), after the safety checks."""
    members, seen = [], set()
    total = 0
    infos = archive.infolist()
    files = [info for info in infos if not info.is_dir()]
    if len(files) > limits.max_files:
        raise PackageError(
            _("The archive holds %(count)d files; at most %(limit)d are accepted.")
            % {"count": len(files), "limit": limits.max_files}
        )
    for info in infos:
        path = safe_path(info.filename)
        if path is None:
            raise PackageError(
                _("The archive holds an unsafe path: “%(name)s” (absolute or with “..”).")
                % {"name": info.filename}
            )
        if _is_link(info):
            raise PackageError(
                _("The archive holds a link, which is not accepted: “%(name)s”.")
                % {"name": info.filename}
            )
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise PackageError(
                _("The archive holds an encrypted file: “%(name)s”.") % {"name": info.filename}
            )
        if path.lower() in seen:
            raise PackageError(
                _("The archive holds the same path twice: “%(name)s”.") % {"name": info.filename}
            )
        seen.add(path.lower())
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise PackageError(
                _(
                    "“%(name)s” expands %(ratio)d times on unpacking; at most %(limit)d times is "
                    "accepted (the archive looks like a zip bomb)."
                )
                % {
                    "name": info.filename,
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "limit": limits.max_ratio,
                }
            )
        members.append((info.filename, path))
    if total > limits.max_bytes:
        raise PackageError(
            _("Unpacked, the archive would take %(size)s MB; at most %(limit)s MB is accepted.")
            % {"size": _megabytes(total), "limit": _megabytes(limits.max_bytes)}
        )
    if total > RATIO_FLOOR and total > limits.max_ratio * max(archive_size, 1):
        raise PackageError(
            _(
                "The archive expands %(ratio)d times on unpacking; at most %(limit)d times is "
                "accepted (it looks like a zip bomb)."
            )
            % {"ratio": total // max(archive_size, 1), "limit": limits.max_ratio}
        )
    return members


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}"


def inspect_archive(fileobj, limits, archive_size):
    """PackageFacts of the archive in ``fileobj`` (a seekable binary file), or PackageError."""
    with open_archive(fileobj) as archive:
        members = check_members(archive, limits, archive_size)
        paths = {path: name for name, path in members}
        if "h5p.json" in paths:
            manifest = parse_h5p(archive, paths)
            kind = PackageKind.H5P
        elif "imsmanifest.xml" in paths:
            manifest = parse_scorm(archive.read(paths["imsmanifest.xml"]), set(paths))
            kind = PackageKind.SCORM_12 if manifest["version"] == "1.2" else PackageKind.SCORM_2004
        else:
            raise PackageError(
                _(
                    "The archive has neither imsmanifest.xml (SCORM) nor h5p.json (H5P) at its "
                    "top level."
                )
            )
    return PackageFacts(kind=kind, manifest=manifest, members=members)


# SCORM ---------------------------------------------------------------------------------------


def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _children(element, name):
    return [child for child in element if _local(child.tag) == name]


def _child(element, name):
    found = _children(element, name)
    return found[0] if found else None


def _text(element, name):
    child = _child(element, name) if element is not None else None
    return (child.text or "").strip() if child is not None else ""


def _attr(element, name):
    """An attribute by local name, whatever its namespace (adlcp:scormType, scormtype...)."""
    for key, value in element.attrib.items():
        if _local(key).lower() == name.lower():
            return value
    return None


def _join_parameters(href, parameters):
    """The launch URL of an item: its resource's href plus the item's parameters (SCORM CAM
    3.4.1.9: a leading "?" or "&" joins with the right separator, a "#" fragment is kept)."""
    parameters = (parameters or "").strip()
    if not parameters:
        return href
    if parameters.startswith("#"):
        return href if "#" in href else href + parameters
    parameters = parameters.lstrip("?&")
    return f"{href}{'&' if '?' in href else '?'}{parameters}"


def _scorm_version(root):
    version = _text(_child(root, "metadata"), "schemaversion")
    namespaces = {key.split("}")[0].lstrip("{") for key in _all_names(root)}
    if version == "1.2" or ADLCP_12 in namespaces:
        return "1.2", None
    edition = None
    lowered = version.lower()
    if "4th" in lowered:
        edition = "4th"
    elif "3rd" in lowered:
        edition = "3rd"
    elif "cam 1.3" in lowered or "2nd" in lowered:
        edition = "2nd"
    return "2004", edition


def _all_names(root):
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            yield element.tag
        for key in element.attrib:
            if key.startswith("{"):
                yield key


def parse_scorm(data, paths):
    try:
        root = ElementTree.fromstring(data, forbid_dtd=False)
    except Exception as error:  # defusedxml's and expat's errors have no common base
        raise PackageError(
            _("imsmanifest.xml cannot be read: %(error)s") % {"error": error}
        ) from None
    if _local(root.tag) != "manifest":
        raise PackageError(_("imsmanifest.xml has no <manifest> element."))
    version, edition = _scorm_version(root)
    resources = {}
    base = root.get(f"{{{XML_NS}}}base") or ""
    resources_element = _child(root, "resources")
    if resources_element is not None:
        base += resources_element.get(f"{{{XML_NS}}}base") or ""
        for resource in _children(resources_element, "resource"):
            resources[resource.get("identifier")] = (resource, base)
    organizations = _child(root, "organizations")
    orgs = _children(organizations, "organization") if organizations is not None else []
    if not orgs:
        raise PackageError(_("imsmanifest.xml has no organization: nothing to launch."))
    default = organizations.get("default")
    organization = next((o for o in orgs if o.get("identifier") == default), orgs[0])
    scos = []
    for item in _items(organization):
        ref = item.get("identifierref")
        if not ref or ref not in resources:
            continue
        resource, resource_base = resources[ref]
        if (_attr(resource, "scormType") or "").lower() != "sco":
            continue
        href = resource.get("href")
        if not href:
            continue
        href = resource_base + (resource.get(f"{{{XML_NS}}}base") or "") + href
        launch = _join_parameters(href, _attr(item, "parameters"))
        file_path = safe_path(unquote(urlsplit(href).path))
        if file_path is None or file_path not in paths:
            raise PackageError(
                _("The launch file “%(href)s” named in imsmanifest.xml is not in the archive.")
                % {"href": href}
            )
        scos.append({"id": item.get("identifier"), "title": _text(item, "title"), "href": launch})
    if not scos:
        raise PackageError(_("imsmanifest.xml names no SCO to launch in its organization."))
    title = _text(organization, "title") or _text(root, "title") or scos[0]["title"]
    sequencing = any(_local(element.tag) == "sequencing" for element in root.iter())
    return {
        "version": version,
        "edition": edition,
        "title": title,
        "scos": scos,
        "sequencing": sequencing,
    }


def _items(parent):
    """The organization's items in document order, nested ones after their parent."""
    for item in _children(parent, "item"):
        if (item.get("isvisible") or "true").lower() == "false" and not item.get("identifierref"):
            continue
        yield item
        yield from _items(item)


# H5P -----------------------------------------------------------------------------------------


def _json(archive, paths, path):
    if path not in paths:
        return None
    try:
        return json.loads(archive.read(paths[path]).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PackageError(_("%(path)s is not valid JSON.") % {"path": path}) from None


def parse_h5p(archive, paths):
    h5p = _json(archive, paths, "h5p.json")
    if not isinstance(h5p, dict) or not h5p.get("mainLibrary"):
        raise PackageError(_("h5p.json does not name the main library (mainLibrary)."))
    if _json(archive, paths, "content/content.json") is None:
        raise PackageError(_("The H5P file has no content/content.json."))
    folders = {path.split("/", 1)[0] for path in paths if "/" in path}
    preloaded, missing, main = [], [], None
    for dependency in h5p.get("preloadedDependencies") or []:
        try:
            name = str(dependency["machineName"])
            folder = f"{name}-{int(dependency['majorVersion'])}.{int(dependency['minorVersion'])}"
        except (KeyError, TypeError, ValueError):
            raise PackageError(
                _("h5p.json has a preloaded dependency without its version.")
            ) from None
        preloaded.append(folder)
        if folder not in folders or f"{folder}/library.json" not in paths:
            missing.append(folder)
        if name == h5p["mainLibrary"]:
            main = f"{name} {folder.rsplit('-', 1)[1]}"
    if missing:
        raise PackageError(
            _(
                "The H5P file lacks these libraries: %(libraries)s. Export it again with its "
                "libraries included."
            )
            % {"libraries": ", ".join(missing)}
        )
    if main is None:
        raise PackageError(
            _("h5p.json's main library %(library)s is not among its preloaded dependencies.")
            % {"library": h5p["mainLibrary"]}
        )
    return {
        "title": str(h5p.get("title") or ""),
        "main_library": main,
        "embed_types": list(h5p.get("embedTypes") or []),
        "preloaded": preloaded,
    }
