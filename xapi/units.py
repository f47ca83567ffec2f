"""Units whose completion their content decides (a SCORM package, an H5P activity): courses
sends ``unit_result_recorded`` with what the content reported, and the first completion
becomes a ``completed`` statement with the content's score and success.

The receiver is connected in XapiConfig.ready only when courses.signals defines the signal,
so this app runs with and without those units.
"""

import logging
import math
from decimal import Decimal

from xapi import services
from xapi import statements as xs
from xapi.setting import setting_of
from xapi.statements import Verb

logger = logging.getLogger(__name__)

# A content unit is one step of its course like a lesson: ADL's "lesson" type, so that one
# query for a course's completed lessons finds them too.
UNIT_ACTIVITY_TYPE = "lesson"


def _scaled(score):
    """xAPI's scaled score with at most four decimals; None for none or an impossible one.

    The signal promises 0..1. A value outside it (a package reporting a percentage) is left
    out rather than refused: refusing would undo the learner's completion with it."""
    if score is None or isinstance(score, bool):
        return None
    try:
        value = float(score)
    except (TypeError, ValueError):
        value = math.nan
    if not 0 <= value <= 1:
        logger.warning("unit result score %r is not in 0..1; the statement has no score", score)
        return None
    return float(Decimal(str(value)).quantize(Decimal("0.0001")))


def unit_result_recorded(
    sender, enrolment, unit, completed, passed=None, score=None, first_completion=False, **kwargs
):
    """Receiver of courses.signals.unit_result_recorded, inside the transaction that records
    the result. Only the first completion is an event; later results of the same unit (a
    package reporting again, a retry) add nothing."""
    if not (completed and first_completion):
        return
    course = enrolment.course
    result = {"completion": True}
    if passed is not None:
        result["success"] = bool(passed)
    scaled = _scaled(score)
    if scaled is not None:
        result["score"] = {"scaled": scaled}
    data = xs.statement(
        enrolment.user_id,
        Verb.COMPLETED,
        xs.activity(unit, UNIT_ACTIVITY_TYPE, course),
        course,
        result=result,
        parent=[xs.course_activity(course)],
        setting=setting_of(enrolment),
    )
    services.record(enrolment.user_id, [data])
