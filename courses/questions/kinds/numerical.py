"""Numerical: ``choices`` hold ``value`` ± ``tolerance``, or the range ``low``..``high``, with
a fraction; a choice with text ``*`` and no number matches any number. A response is a
number as str, int, Decimal (or float); the best matching alternative wins and text that is
not a number gets 0."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, DecimalException, localcontext
from typing import Any

from courses.questions.data import Choice, Question, QuestionType
from courses.questions.gift_syntax import (
    MAX_EXPONENT,
    GiftError,
    answer_list,
    check_format,
    check_fraction,
    check_number,
    check_text,
    comment_parser,
    own_format,
    parse_number,
    split_answers,
    take_weight,
    trim,
    weight,
    write_text,
)
from courses.questions.kinds.base import (
    SHORT_ANSWER_MAX_LENGTH,
    ZERO,
    QuestionKind,
    ResponseError,
    best_fraction,
    check_string,
    clip,
)

# The number syntax a student may type (after NFKC, so full-width digits work too).
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


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
    # As in the GIFT reader: bigger numbers are not answers to anything.
    if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
        return None
    return number


def _matches(choice: Choice, number: Decimal) -> bool:
    try:
        if choice.is_catch_all:
            return True
        if choice.value is not None:
            tolerance = choice.tolerance if choice.tolerance is not None else ZERO
            return abs(number - choice.value) <= abs(tolerance)
        if choice.low is not None and choice.high is not None:
            return choice.low <= number <= choice.high
        return False
    except DecimalException:
        return False  # a hand-built choice with NaN or a vast exponent


class Numerical(QuestionKind):
    qtype = QuestionType.NUMERICAL
    gift_rank = 20

    def gift_claims(self, answertext: str | None) -> bool:
        return answertext is not None and answertext.startswith("#")

    def read_gift(self, question: Question, answertext: str, line: int) -> None:
        qfmt = question.text_format
        body = answertext[1:]
        # Moodle: everything from the first "~" on is the feedback for any other answer.
        tilde = body.find("~")
        wrong = body[tilde:] if tilde >= 0 else ""
        if tilde >= 0:
            body = body[:tilde]
        answers = split_answers(body, "=")
        if not answers:
            raise GiftError("a numerical question needs at least 1 answer", line)
        for raw in answers:
            given, answer = take_weight(trim(raw), line)
            text, feedback = comment_parser(answer, qfmt)
            choice = Choice(
                fraction=given if given is not None else Decimal(1),
                feedback=feedback.text,
                feedback_format=own_format(feedback, qfmt),
            )
            spec = text.text
            # Moodle's order of tests: "min..max" (not at the start), then "answer:tolerance".
            if spec == "*":
                choice.text = "*"
            elif spec.find("..") > 0:
                low_raw, _, high_raw = spec.partition("..")
                choice.low = parse_number(low_raw, line, "range start")
                choice.high = parse_number(high_raw, line, "range end")
                if choice.low > choice.high:
                    # Moodle imports it as a negative tolerance that no answer can meet.
                    raise GiftError(f"numerical range {spec!r} ends below its start", line)
            elif spec.find(":") > 0:
                value_raw, _, tolerance_raw = spec.partition(":")
                choice.value = parse_number(value_raw, line, "answer")
                choice.tolerance = parse_number(tolerance_raw, line, "tolerance")
                if choice.tolerance < 0:
                    raise GiftError(f"numerical tolerance in {spec!r} is negative", line)
            else:
                # Moodle's check here is `is_numeric($ans) || $ans = '*'`, an assignment that
                # turns any non-number into a catch-all worth full marks; we report it instead.
                choice.value = parse_number(spec, line, "answer")
                choice.tolerance = Decimal(0)
            question.choices.append(choice)
        if all(choice.is_catch_all for choice in question.choices):
            raise GiftError("a numerical question needs at least 1 numeric answer", line)
        if wrong:
            _, feedback = comment_parser(wrong, qfmt)
            question.choices.append(
                Choice(
                    text="*",
                    fraction=Decimal(0),
                    feedback=feedback.text,
                    feedback_format=own_format(feedback, qfmt),
                )
            )

    def gift_block(self, question: Question, general: str) -> str:
        lines = self._gift_answers(question)
        return answer_list(lines, general, lead="#")

    def _gift_answers(self, question: Question) -> list[str]:
        line, qfmt = question.line, question.text_format
        choices = question.choices
        if not any(not choice.is_catch_all for choice in choices):
            raise GiftError("a numerical question needs at least 1 numeric answer", line)
        lines = []
        for number, choice in enumerate(choices, start=1):
            what = f"answer {number}"
            check_fraction(choice.fraction, line)
            check_text(choice.feedback, f"the feedback of {what}", line, required=False)
            check_format(choice.feedback_format, f"the feedback of {what}", line)
            feedback = write_text(choice.feedback, choice.feedback_format or qfmt, qfmt)
            if choice.is_catch_all:
                if choice.fraction == 0 and number == len(choices):
                    lines.append(f"~#{feedback}")  # Moodle's own spelling of "any other answer"
                else:
                    lines.append(f"=%{weight(choice.fraction)}%*#{feedback}")
                continue
            if choice.low is not None and choice.high is not None and choice.value is None:
                check_number(choice.low, line)
                check_number(choice.high, line)
                if choice.low > choice.high:
                    raise GiftError(f"{what}: range ends below its start", line)
                spec = f"{choice.low}..{choice.high}"
            elif choice.value is not None and choice.low is None and choice.high is None:
                tolerance = choice.tolerance if choice.tolerance is not None else Decimal(0)
                check_number(choice.value, line)
                check_number(tolerance, line)
                if tolerance < 0:
                    raise GiftError(f"{what}: tolerance is negative", line)
                spec = f"{choice.value}:{tolerance}"
            else:
                raise GiftError(f"{what} needs a value or a low..high range", line)
            lines.append(f"=%{weight(choice.fraction)}%{spec}#{feedback}")
        return lines

    def validate_response(self, question: Question, response: Any) -> None:
        if isinstance(response, str):
            check_string(response, SHORT_ANSWER_MAX_LENGTH, "a numerical answer")
        elif isinstance(response, bool) or not isinstance(response, int | float | Decimal):
            raise ResponseError("a numerical response must be a number or a string")

    def credit(self, question: Question, response: Any) -> Decimal:
        number = _to_number(response)
        if number is None:
            return ZERO
        # Enough precision that value ± tolerance is exact for any number the reader accepts.
        with localcontext() as context:
            context.prec = 6 * MAX_EXPONENT
            best = best_fraction(question, lambda choice: _matches(choice, number))
        return clip(best) if best is not None else ZERO

    def right_answer(self, question: Question) -> str:
        best = max(question.choices, key=lambda c: c.fraction, default=None)
        if best is None:
            return ""
        if best.low is not None:
            return f"{best.low}–{best.high}"
        return f"{best.value}" + (f" ± {best.tolerance}" if best.tolerance else "")
