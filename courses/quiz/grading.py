"""Grading a response to a ``Question``: pure functions, no database, no side effects.

``grade(question, response)`` returns the credit as a ``Decimal`` in [0, 1], or ``None`` for
an essay (a teacher grades it) or a description (nothing to grade). It first calls
``validate_response``, which raises ``ResponseError`` for a response of the wrong shape or
type, an index out of range or an oversized string, so a web layer can answer 400.

Responses by question type:

=================  ==========================================================================
single_choice      the index of the chosen choice (int)
multiple_response  a list of distinct indices; credit is the sum of their fractions, clipped
                   to [0, 1] (negative weights count against the student, never below 0)
true_false         True or False
short_answer       a string, compared with each accepted answer after normalising both
                   (Unicode NFKC, case folding, outer white space stripped, inner runs of
                   white space collapsed); ``*`` in an accepted answer matches any run of
                   characters, ``\\*`` a literal asterisk; the best matching fraction wins
numerical          a number as str, int, Decimal (or float); tolerance and ranges apply and
                   the best matching alternative wins; text that is not a number gets 0
matching           a dict {left index: chosen right text}; the credit is the share of pairs
                   answered right (keys may be ints or digit strings, as JSON sends them)
essay              a string; returns None
description        None; returns None
=================  ==========================================================================
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from decimal import Decimal, DecimalException, localcontext
from typing import Any

from courses.quiz.questions import Question, QuestionType

__all__ = [
    "ESSAY_MAX_LENGTH",
    "SHORT_ANSWER_MAX_LENGTH",
    "ResponseError",
    "grade",
    "normalize_answer",
    "validate_response",
]

SHORT_ANSWER_MAX_LENGTH = 2_000
ESSAY_MAX_LENGTH = 20_000

ZERO = Decimal(0)
ONE = Decimal(1)

# The number syntax a student may type (after NFKC, so full-width digits work too).
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_EXPONENT = 1000  # as in the GIFT reader: bigger numbers are not answers to anything
_WILDCARD_RE = re.compile(r"(?<!\\)\*+")  # Moodle: runs of unescaped asterisks


class ResponseError(ValueError):
    """The response does not have the shape this question type takes."""


CREDIT_PLACES = Decimal("0.0001")


def _clip(credit: Decimal) -> Decimal:
    """Within [0, 1], to four places: thirds written as 33.33333% add up to full credit."""
    return max(ZERO, min(ONE, credit.quantize(CREDIT_PLACES)))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_string(response: Any, limit: int, what: str) -> str:
    if not isinstance(response, str):
        raise ResponseError(f"{what} must be a string, not {type(response).__name__}")
    if len(response) > limit:
        raise ResponseError(f"{what} is longer than {limit} characters")
    return response


def validate_response(question: Question, response: Any) -> None:
    """Raise ``ResponseError`` unless ``response`` has the shape ``question`` takes."""
    qtype = question.qtype
    count = len(question.choices)
    if qtype == QuestionType.SINGLE_CHOICE:
        if not _is_int(response):
            raise ResponseError("a single-choice response must be a choice index (int)")
        if not 0 <= response < count:
            raise ResponseError(f"choice index {response} is not between 0 and {count - 1}")
    elif qtype == QuestionType.MULTIPLE_RESPONSE:
        if not isinstance(response, list | tuple):
            raise ResponseError("a multiple-response response must be a list of choice indices")
        if not all(_is_int(index) for index in response):
            raise ResponseError("choice indices must be ints")
        if len(set(response)) != len(response):
            raise ResponseError("a choice index appears twice")
        for index in response:
            if not 0 <= index < count:
                raise ResponseError(f"choice index {index} is not between 0 and {count - 1}")
    elif qtype == QuestionType.TRUE_FALSE:
        if not isinstance(response, bool):
            raise ResponseError("a true/false response must be True or False")
    elif qtype == QuestionType.SHORT_ANSWER:
        _check_string(response, SHORT_ANSWER_MAX_LENGTH, "a short answer")
    elif qtype == QuestionType.NUMERICAL:
        if isinstance(response, str):
            _check_string(response, SHORT_ANSWER_MAX_LENGTH, "a numerical answer")
        elif isinstance(response, bool) or not isinstance(response, int | float | Decimal):
            raise ResponseError("a numerical response must be a number or a string")
    elif qtype == QuestionType.MATCHING:
        _matching_pairs(question, response)
    elif qtype == QuestionType.ESSAY:
        _check_string(response, ESSAY_MAX_LENGTH, "an essay")
    elif qtype == QuestionType.DESCRIPTION and response is not None:
        raise ResponseError("a description takes no response (None)")


def grade(question: Question, response: Any) -> Decimal | None:
    """The credit for ``response``, a Decimal in [0, 1]; None for essays and descriptions.

    Raises ``ResponseError`` (from ``validate_response``) for a malformed response.
    """
    validate_response(question, response)
    qtype = question.qtype
    choices = question.choices
    if qtype == QuestionType.SINGLE_CHOICE:
        return _clip(choices[response].fraction)
    if qtype == QuestionType.MULTIPLE_RESPONSE:
        return _clip(sum((choices[index].fraction for index in response), ZERO))
    if qtype == QuestionType.TRUE_FALSE:
        return ONE if response == question.options.get("correct") else ZERO
    if qtype == QuestionType.SHORT_ANSWER:
        return _grade_short_answer(question, response)
    if qtype == QuestionType.NUMERICAL:
        return _grade_numerical(question, response)
    if qtype == QuestionType.MATCHING:
        pairs = _matching_pairs(question, response)
        right = sum(1 for index, chosen in pairs.items() if chosen == choices[index].match)
        total = sum(1 for choice in choices if choice.text)
        return _clip(Decimal(right) / Decimal(total)) if total else ZERO
    return None  # essay: a teacher grades it; description: nothing to grade


# --- Short answer --------------------------------------------------------------------------


def _fold(text: str) -> str:
    # NFKC before and after case folding: folding can produce sequences NFKC would change.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def normalize_answer(text: str) -> str:
    """The form short answers are compared in: NFKC, case-folded, white space collapsed.

    ``normalize_answer("  ＡＢＣ\u3000 ２ ") == "abc 2"``.
    """
    return " ".join(_fold(text).split())


@functools.lru_cache(maxsize=1024)
def _answer_pattern(answer: str) -> re.Pattern[str]:
    """Moodle's compare_string_with_wildcard(), on normalised text."""
    # Split on the wildcards before normalising, so that a full-width asterisk (which NFKC
    # turns into "*") stays a literal character, then normalise each piece.
    bits = [_fold(bit.replace("\\*", "*")) for bit in _WILDCARD_RE.split(answer)]
    bits = [re.sub(r"\s+", " ", bit) for bit in bits]
    bits[0] = bits[0].lstrip()
    bits[-1] = bits[-1].rstrip()
    return re.compile(".*".join(re.escape(bit) for bit in bits), re.DOTALL)


def _grade_short_answer(question: Question, response: str) -> Decimal:
    given = normalize_answer(response)
    if not given:
        return ZERO  # Moodle does not grade a blank answer, not even against "*"
    best: Decimal | None = None
    for choice in question.choices:
        if _answer_pattern(choice.text).fullmatch(given):
            best = choice.fraction if best is None else max(best, choice.fraction)
    # Unlike Moodle, which takes the first matching answer, the best one wins.
    return _clip(best) if best is not None else ZERO


# --- Numerical -----------------------------------------------------------------------------


def _to_number(response: Any) -> Decimal | None:
    """The response as a finite Decimal, or None when it is not a number."""
    if isinstance(response, Decimal):
        number = response
    elif isinstance(response, int):
        number = Decimal(response)
    elif isinstance(response, float):
        if not math.isfinite(response):
            return None
        number = Decimal(repr(response))  # the digits the student's float was shown with
    else:
        text = unicodedata.normalize("NFKC", response).strip()
        text = text.replace("\u2212", "-")  # a typographic minus sign
        if not _NUMBER_RE.fullmatch(text):
            return None
        number = Decimal(text)
    if not number.is_finite() or abs(number.adjusted()) > _MAX_EXPONENT:
        return None
    return number


def _grade_numerical(question: Question, response: Any) -> Decimal:
    number = _to_number(response)
    if number is None:
        return ZERO
    best: Decimal | None = None
    # Enough precision that value ± tolerance is exact for any number the reader accepts.
    with localcontext() as context:
        context.prec = 6 * _MAX_EXPONENT
        for choice in question.choices:
            try:
                if choice.is_catch_all:
                    matched = True
                elif choice.value is not None:
                    tolerance = choice.tolerance if choice.tolerance is not None else ZERO
                    matched = abs(number - choice.value) <= abs(tolerance)
                elif choice.low is not None and choice.high is not None:
                    matched = choice.low <= number <= choice.high
                else:
                    matched = False
            except DecimalException:
                matched = False  # a hand-built choice with NaN or a vast exponent
            if matched:
                best = choice.fraction if best is None else max(best, choice.fraction)
    return _clip(best) if best is not None else ZERO


# --- Matching ------------------------------------------------------------------------------


def _matching_pairs(question: Question, response: Any) -> dict[int, str]:
    """Validate a matching response and return it as {left index: chosen right text}."""
    if not isinstance(response, dict):
        raise ResponseError("a matching response must be a dict {left index: right text}")
    offered = {choice.match for choice in question.choices}
    pairs: dict[int, str] = {}
    seen: set[int] = set()
    for key, chosen in response.items():
        if _is_int(key):
            index = key
        elif isinstance(key, str) and key.isascii() and key.isdigit() and len(key) < 10:
            index = int(key)
        else:
            raise ResponseError(f"matching key {key!r} is not a left index")
        if not 0 <= index < len(question.choices) or not question.choices[index].text:
            raise ResponseError(f"matching key {key!r} is not one of the left items")
        if index in seen:
            raise ResponseError(f"left item {index} is answered twice")
        seen.add(index)
        if chosen is None:
            continue  # left unanswered: counts as wrong
        if not isinstance(chosen, str):
            raise ResponseError("a matching answer must be one of the right-hand texts")
        if len(chosen) > SHORT_ANSWER_MAX_LENGTH or chosen not in offered:
            raise ResponseError("a matching answer must be one of the right-hand texts")
        pairs[index] = chosen
    return pairs
