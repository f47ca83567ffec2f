"""What a commit's run-time data says: plain Python, no database.

The rules (docs/courseware.md):
- SCORM 1.2: cmi.core.lesson_status completed or passed -> completed; passed / failed ->
  success; score = score.raw / score.max (max 100 when the content gives none).
- SCORM 2004: completion_status completed and success_status not failed -> completed;
  success from success_status; score = score.scaled, else raw / max.
- A unit of several SCOs is completed when every SCO is (a simple rollup of the SCOs in the
  organisation's order; IMS Simple Sequencing's rollup rules are not evaluated).
- H5P: only a statement of the top-level activity counts (one without
  context.contextActivities.parent: a question inside a container reports its own
  "answered" too), with verb completed, answered or passed.
"""

import re
from dataclasses import dataclass

from courseware.models.packages import Completion, PackageKind, Success

COMPLETING_VERBS = {"completed", "answered", "passed"}


@dataclass
class Outcome:
    completion: str = Completion.NOT_ATTEMPTED
    success: str = Success.UNKNOWN
    score: float | None = None


def normalise_cmi(data):
    """The CMI data of a commit as a nested dict without the leading "cmi": accepts
    scorm-again's rendering ({"cmi": {...}}), the bare object, or flattened keys
    ("cmi.core.lesson_status")."""
    if not isinstance(data, dict):
        raise ValueError("cmi is not an object")
    if set(data) == {"cmi"} and isinstance(data["cmi"], dict):
        data = data["cmi"]
    if any("." in key for key in data):
        nested = {}
        for key, value in data.items():
            parts = key.split(".")
            if parts[0] == "cmi":
                parts = parts[1:]
            target = nested
            for part in parts[:-1]:
                target = target.setdefault(part, {})
                if not isinstance(target, dict):
                    raise ValueError("cmi keys overlap")
            target[parts[-1]] = value
        data = nested
    return data


def _get(cmi, *path):
    value = cmi
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _number(value):
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number else None  # NaN is no score


def _scaled(raw, maximum, default_max=None):
    raw, maximum = _number(raw), _number(maximum)
    if maximum is None:
        maximum = default_max
    if raw is None or not maximum:
        return None
    return min(max(raw / maximum, 0.0), 1.0)


def sco_outcome(version, cmi):
    if version == "1.2":
        core = _get(cmi, "core") or {}
        status = str(core.get("lesson_status") or "").strip().lower()
        score = _scaled(_get(core, "score", "raw"), _get(core, "score", "max"), 100)
        completion = {
            "completed": Completion.COMPLETED,
            "passed": Completion.COMPLETED,
            "failed": Completion.INCOMPLETE,
            "incomplete": Completion.INCOMPLETE,
            "browsed": Completion.INCOMPLETE,
        }.get(status, Completion.NOT_ATTEMPTED)
        success = {"passed": Success.PASSED, "failed": Success.FAILED}.get(status, Success.UNKNOWN)
        return Outcome(completion, success, score)
    completion_status = str(cmi.get("completion_status") or "").strip().lower()
    success = {"passed": Success.PASSED, "failed": Success.FAILED}.get(
        str(cmi.get("success_status") or "").strip().lower(), Success.UNKNOWN
    )
    score = _number(_get(cmi, "score", "scaled"))
    if score is None:
        score = _scaled(_get(cmi, "score", "raw"), _get(cmi, "score", "max"))
    else:
        score = min(max(score, 0.0), 1.0)
    if completion_status == "completed" and success != Success.FAILED:
        completion = Completion.COMPLETED
    elif completion_status in ("", "unknown", "not attempted"):
        completion = (
            Completion.INCOMPLETE if success != Success.UNKNOWN else Completion.NOT_ATTEMPTED
        )
    else:
        completion = Completion.INCOMPLETE
    return Outcome(completion, success, score)


def rollup(version, scos, cmis):
    """The unit's outcome from each SCO's (``scos``: the manifest's, in order)."""
    outcomes = [sco_outcome(version, cmis.get(sco["id"]) or {}) for sco in scos]
    if not outcomes:
        return Outcome()
    if all(o.completion == Completion.COMPLETED for o in outcomes):
        completion = Completion.COMPLETED
    elif all(o.completion == Completion.NOT_ATTEMPTED for o in outcomes):
        completion = Completion.NOT_ATTEMPTED
    else:
        completion = Completion.INCOMPLETE
    successes = [o.success for o in outcomes if o.success != Success.UNKNOWN]
    if Success.FAILED in successes:
        success = Success.FAILED
    elif successes and len(successes) == len(outcomes):
        success = Success.PASSED
    else:
        success = Success.UNKNOWN
    scores = [o.score for o in outcomes if o.score is not None]
    score = sum(scores) / len(scores) if scores else None
    return Outcome(completion, success, score)


def location_and_suspend_data(version, cmi):
    location = _get(cmi, "core", "lesson_location") if version == "1.2" else cmi.get("location")
    return str(location or "")[:1000], str(cmi.get("suspend_data") or "")


_ISO_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_SCORM12_TIME = re.compile(r"^(?P<h>\d{1,4}):(?P<m>\d{1,2}):(?P<s>\d{1,2}(?:\.\d{1,2})?)$")


def duration_seconds(value):
    """Seconds of a session time: 1.2's HHHH:MM:SS.SS or 2004's ISO 8601 duration; 0 when
    the content sends something else."""
    value = str(value or "").strip()
    if match := _SCORM12_TIME.match(value):
        return int(int(match["h"]) * 3600 + int(match["m"]) * 60 + float(match["s"]))
    if value != "P" and (match := _ISO_DURATION.match(value)) and not value.endswith("T"):
        parts = {key: float(number) for key, number in match.groupdict().items() if number}
        return int(
            parts.get("y", 0) * 365 * 86400
            + parts.get("mo", 0) * 30 * 86400
            + parts.get("d", 0) * 86400
            + parts.get("h", 0) * 3600
            + parts.get("mi", 0) * 60
            + parts.get("s", 0)
        )
    return 0


def session_seconds(version, cmi):
    if version == "1.2":
        return duration_seconds(_get(cmi, "core", "session_time"))
    return duration_seconds(cmi.get("session_time"))


def h5p_outcome(statement, previous):
    """The unit's outcome after an xAPI statement, or ``previous`` when it does not count."""
    if not isinstance(statement, dict):
        return previous
    verb = str(_get(statement, "verb", "id") or "").rstrip("/").rsplit("/", 1)[-1].lower()
    parents = _get(statement, "context", "contextActivities", "parent")
    if verb not in COMPLETING_VERBS or parents:
        return previous
    result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
    success = {True: Success.PASSED, False: Success.FAILED}.get(
        result.get("success"), Success.UNKNOWN
    )
    score = _number(_get(result, "score", "scaled"))
    if score is None:
        score = _scaled(_get(result, "score", "raw"), _get(result, "score", "max"))
    else:
        score = min(max(score, 0.0), 1.0)
    return Outcome(Completion.COMPLETED, success, score)


def version_of(kind):
    return "1.2" if kind == PackageKind.SCORM_12 else "2004"
