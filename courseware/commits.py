"""Storing what the content reports: one commit of SCORM run-time data or of an H5P
statement and state, onto the learner's PackageRecord.

An ordinary commit is two statements: the record read with its package and the learner's
enrolment in the same query, and one versioned UPDATE. A commit whose reply was lost is
sent again with the same commit id and answered from the record without being applied
twice; a commit made against an older version (another tab) is refused with 409.
"""

import uuid

from django.db import IntegrityError, models, transaction
from django.db.models.functions import Length, Now, Substr
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.models import Enrolment
from courses.services import enrolment_for, record_unit_result
from courseware import cmi as rules
from courseware.models.packages import Completion, PackageKind, PackageRecord, Success

SESSION_OPEN = "qa:open"  # a key no SCO identifier can take (an XML NCName has no colon)


class CommitError(ValueError):
    pass


def _error(message, code="invalid"):
    return 400, {"error": code, "message": message}


NOT_FOUND = (404, {"error": "not_found"})


def _check(payload):
    if not isinstance(payload, dict):
        raise CommitError(_("The data must be a JSON object."))
    try:
        commit_id = uuid.UUID(str(payload.get("commit")))
    except ValueError:
        raise CommitError(_("“commit” must be a UUID.")) from None
    version = payload.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise CommitError(_("“version” must be a whole number."))
    return commit_id, version


def _check_scorm(payload, package):
    sco = payload.get("sco")
    if not isinstance(sco, str) or sco not in {s["id"] for s in package.scos}:
        raise CommitError(_("“sco” does not name a SCO of this package."))
    try:
        data = rules.normalise_cmi(payload.get("cmi"))
    except ValueError:
        raise CommitError(_("“cmi” must be an object of run-time data.")) from None
    terminated = payload.get("terminated", False)
    if not isinstance(terminated, bool):
        raise CommitError(_("“terminated” must be true or false."))
    return sco, data, terminated


def _check_h5p(payload):
    statement = payload.get("statement")
    if statement is not None and not isinstance(statement, dict):
        raise CommitError(_("“statement” must be an xAPI statement object."))
    state = payload.get("state")
    if state is not None and not isinstance(state, str):
        raise CommitError(_("“state” must be text."))
    return statement, state, "state" in payload


def _record(user, unit_id):
    """The learner's record with its package and enrolment id, in one query."""
    course_path = Substr("unit__path", 1, Length("unit__path") - Page.steplen)
    enrolment = Enrolment.objects.filter(
        user=models.OuterRef("user"), course__path=models.OuterRef("course_path")
    ).values("pk")[:1]
    return (
        PackageRecord.objects.filter(user=user, unit_id=unit_id, unit__live=True)
        .select_related("package")
        .annotate(course_path=course_path, enrolment_id=models.Subquery(enrolment))
        .first()
    )


def _playable_unit(user, unit_id):
    """The live SCORM or H5P unit ``unit_id`` when ``user`` is enrolled in its course."""
    page = Page.objects.filter(pk=unit_id).live().first()
    unit = page.specific if page is not None else None
    if unit is None or not hasattr(unit, "package_kinds") or enrolment_for(user, unit) is None:
        return None
    return unit


def _first_record(user, unit):
    """The record of a learner's first commit on a unit (or the one a concurrent first
    commit created), read as ``_record`` reads it."""
    try:
        with transaction.atomic():
            PackageRecord.objects.create(user=user, unit=unit, package=unit.package)
    except IntegrityError:
        pass
    return _record(user, unit.pk)


def _reply(record, **extra):
    return {
        "version": record.version,
        "completion": record.completion,
        "success": record.success,
        "score": record.score,
        **extra,
    }


def apply_commit(user, unit_id, payload):
    """(HTTP status, JSON body) of one commit by ``user`` on unit ``unit_id``."""
    if not user.is_authenticated:
        return NOT_FOUND
    try:
        commit_id, version = _check(payload)
    except CommitError as error:
        return _error(str(error), "malformed")
    record = _record(user, unit_id)
    if record is None:
        unit = _playable_unit(user, unit_id)
        if unit is None:
            return NOT_FOUND
        package = unit.package
    elif record.enrolment_id is None:
        return NOT_FOUND
    elif record.last_commit == commit_id:  # sent again after a lost reply: already applied
        return 200, _reply(record)
    else:
        package = record.package
    try:
        if package.kind == PackageKind.H5P:
            parsed = _check_h5p(payload)
        else:
            parsed = _check_scorm(payload, package)
    except CommitError as error:
        return _error(str(error))
    if record is None:  # checked before the record is created: bad input creates nothing
        record = _first_record(user, unit)
    if version != record.version:
        return 409, {
            "error": "stale",
            "message": _("This unit was opened in another window. Reload the page."),
            "version": record.version,
        }
    before = (record.completion, record.success, record.score)
    if package.kind == PackageKind.H5P:
        _apply_h5p(record, *parsed)
    else:
        _apply_scorm(record, package, *parsed)
    if before[0] == Completion.COMPLETED:  # once completed, reviewing does not undo it
        record.completion = Completion.COMPLETED
    changed = PackageRecord.objects.filter(pk=record.pk, version=version).update(
        cmi=record.cmi,
        completion=record.completion,
        success=record.success,
        score=record.score,
        location=record.location,
        suspend_data=record.suspend_data,
        total_seconds=record.total_seconds,
        attempts=record.attempts,
        last_sco=record.last_sco,
        version=version + 1,
        last_commit=commit_id,
        updated_at=Now(),
    )
    if not changed:  # another commit of this learner got in between
        current = PackageRecord.objects.filter(pk=record.pk).values_list("version", flat=True)
        return 409, {
            "error": "stale",
            "message": _("This unit was opened in another window. Reload the page."),
            "version": current.first(),
        }
    record.version = version + 1
    outcome = (record.completion, record.success, record.score)
    if outcome != before and (
        record.completion == Completion.COMPLETED or record.success != Success.UNKNOWN
    ):
        _report(record, unit_id)
    return 200, _reply(record)


def _open_session(record):
    if not record.cmi.get(SESSION_OPEN):
        record.cmi[SESSION_OPEN] = True
        record.attempts += 1


def _apply_scorm(record, package, sco, data, terminated):
    version = rules.version_of(package.kind)
    _open_session(record)
    record.cmi[sco] = data
    record.last_sco = sco
    record.location, record.suspend_data = rules.location_and_suspend_data(version, data)
    outcome = rules.rollup(version, package.scos, record.cmi)
    record.completion, record.success, record.score = (
        outcome.completion,
        outcome.success,
        outcome.score,
    )
    if terminated:
        # Once per session: a commit after Terminate opens the next one.
        record.total_seconds += rules.session_seconds(version, data)
        record.cmi[SESSION_OPEN] = False


def _apply_h5p(record, statement, state, has_state):
    _open_session(record)
    if has_state:
        record.cmi["state"] = state
    previous = rules.Outcome(record.completion, record.success, record.score)
    outcome = rules.h5p_outcome(statement, previous)
    if outcome is previous and record.completion == Completion.NOT_ATTEMPTED:
        outcome = rules.Outcome(Completion.INCOMPLETE, record.success, record.score)
    record.completion, record.success, record.score = (
        outcome.completion,
        outcome.success,
        outcome.score,
    )
    if isinstance(statement, dict):
        duration = (
            (statement.get("result") or {}).get("duration")
            if isinstance(statement.get("result"), dict)
            else None
        )
        if outcome is not previous and duration:
            record.total_seconds += rules.duration_seconds(duration)


def _report(record, unit_id):
    """The unit's result for the course: completion, certificates and reports follow."""
    enrolment = Enrolment.objects.select_related("course").get(pk=record.enrolment_id)
    unit = Page.objects.get(pk=unit_id)
    record_unit_result(
        enrolment,
        unit,
        completed=record.completion == Completion.COMPLETED,
        passed={Success.PASSED: True, Success.FAILED: False}.get(record.success),
        score=record.score,
    )
