"""Plain data describing a quiz question, independent of Django and of any file format.

A ``Question`` is what the GIFT and Aiken parsers produce, what the GIFT writer consumes and
what its kind (``courses.questions.registry``) presents and grades. Every class has ``to_dict()`` returning JSON-safe data
(``Decimal`` values as strings) and ``from_dict()`` rebuilding an equal object, so
``Question.from_dict(q.to_dict()) == q`` always holds.

How each question type uses the fields (each type's module in ``kinds/`` says more):

==================  ===========================================================================
single_choice       ``choices``: text, fraction (1 for a right answer, partial or negative
                    weights allowed), feedback. The student picks one.
multiple_response   ``choices`` with weights; the student picks any number and the fractions of
                    the picked ones are added up.
true_false          no choices; ``options["correct"]`` (bool), ``options["feedback_wrong"]`` and
                    ``options["feedback_right"]`` (shown for a wrong and a right answer).
short_answer        ``choices``: accepted answers (``*`` is a wildcard), fraction, feedback.
numerical           ``choices``: ``value`` ± ``tolerance``, or the range ``low``..``high``, with a
                    fraction; a choice with text ``*`` and no number matches any number.
matching            ``choices``: left ``text`` and right ``match``; a choice with an empty
                    ``text`` is a distractor that only adds its ``match`` to the right column.
essay               no choices; graded by a teacher.
description         no choices; not a question, just text shown between questions.
==================  ===========================================================================

Missing word is not a type of its own: it is a single_choice or short_answer question whose
``text`` contains the blank marker ``BLANK`` (five underscores) where the answer goes, as in
Moodle.

Text formats (``moodle``, ``html``, ``plain``, ``markdown``) follow Moodle: the question's own
format is ``options["text_format"]`` (``moodle`` when absent); every other text (general
feedback, a choice's text or feedback, a true/false feedback) uses the question's format unless
its own format field names a different one. Parsers store such a field only when it differs
from the question's format and the text is not empty, so equal questions have equal dicts.

Other ``options`` keys the parsers set: ``category`` (the GIFT ``$CATEGORY:`` in force),
``idnumber`` and ``tags`` (Moodle's ``[id:…]``/``[tag:…]`` in GIFT comments),
``general_feedback_format``, ``feedback_wrong_format`` and ``feedback_right_format``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

BLANK = "_____"
"""Marks where the answer goes in a missing-word question (Moodle inserts the same)."""

DEFAULT_FORMAT = "moodle"


class QuestionType(StrEnum):
    """The question types GIFT can express (Moodle's names in brackets)."""

    SINGLE_CHOICE = "single_choice"  # multichoice, single answer
    MULTIPLE_RESPONSE = "multiple_response"  # multichoice, several answers
    TRUE_FALSE = "true_false"  # truefalse
    SHORT_ANSWER = "short_answer"  # shortanswer
    NUMERICAL = "numerical"  # numerical
    MATCHING = "matching"  # match
    ESSAY = "essay"  # essay
    DESCRIPTION = "description"  # description


class TextFormat(StrEnum):
    """Moodle's text formats, as GIFT names them in ``[format]`` markers."""

    MOODLE = "moodle"
    HTML = "html"
    PLAIN = "plain"
    MARKDOWN = "markdown"


TEXT_FORMATS = frozenset(f.value for f in TextFormat)


def to_decimal(value: Any, what: str = "number") -> Decimal:
    """Convert an int, str or Decimal to ``Decimal``; anything else raises ``ValueError``.

    Floats are refused because their binary value is rarely the number that was meant.
    """
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValueError(f"{what} must be a Decimal, int or str, not {type(value).__name__}")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{what} {value!r} is not a number") from None


def canonical_fraction(value: Any) -> Decimal:
    """A fraction in one canonical spelling: ``Decimal('0.500')`` becomes ``Decimal('0.5')``.

    Fractions are stored canonically so that a weight written as ``%50%`` or ``%50.0%`` and
    read back compares (and serialises) equal.
    """
    number = to_decimal(value, "fraction")
    if not number.is_finite():
        raise ValueError(f"fraction {value!r} is not finite")
    if number == 0:
        return Decimal(0)
    # Work on the digits rather than with normalize()/quantize(): those round to the context
    # precision, and a canonical spelling must never change the number.
    sign, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite numbers have an int exponent
    kept = list(digits)
    while exponent < 0 and len(kept) > 1 and kept[-1] == 0:
        kept.pop()
        exponent += 1
    if 0 < exponent <= 64:  # 5E+1 -> 50; absurdly large exponents stay as they are
        kept.extend([0] * exponent)
        exponent = 0
    return Decimal((sign, tuple(kept), exponent))


def _optional_decimal(value: Any, what: str) -> Decimal | None:
    return None if value is None else to_decimal(value, what)


def _decimal_str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


@dataclass
class Choice:
    """One answer of a question; which fields matter depends on the question type.

    ``text_format``/``feedback_format`` are ``""`` when the text uses the question's format.
    Numerical choices carry ``value`` and ``tolerance``, or ``low`` and ``high``; matching
    choices carry the right-hand side in ``match``.
    """

    text: str = ""
    fraction: Decimal = Decimal(0)
    feedback: str = ""
    text_format: str = ""
    feedback_format: str = ""
    value: Decimal | None = None
    tolerance: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    match: str = ""

    def __post_init__(self) -> None:
        self.fraction = canonical_fraction(self.fraction)
        self.value = _optional_decimal(self.value, "value")
        self.tolerance = _optional_decimal(self.tolerance, "tolerance")
        self.low = _optional_decimal(self.low, "low")
        self.high = _optional_decimal(self.high, "high")

    @property
    def is_catch_all(self) -> bool:
        """A numerical choice ``*`` that matches any number (Moodle's "any other answer")."""
        return self.text == "*" and self.value is None and self.low is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data, Decimals as strings; ``Choice.from_dict`` reverses it exactly."""
        return {
            "text": self.text,
            "fraction": str(self.fraction),
            "feedback": self.feedback,
            "text_format": self.text_format,
            "feedback_format": self.feedback_format,
            "value": _decimal_str(self.value),
            "tolerance": _decimal_str(self.tolerance),
            "low": _decimal_str(self.low),
            "high": _decimal_str(self.high),
            "match": self.match,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Choice:
        """Rebuild a choice from ``to_dict()`` data; unknown keys raise ``ValueError``."""
        _check_keys(cls, data)
        return cls(**data)


@dataclass
class Question:
    """One question: see the module docstring for how each type uses the fields.

    ``line`` is the line of the source file the question started on, for error messages; it
    is not part of the question's meaning (compare ``to_dict()`` without it).
    """

    name: str
    qtype: QuestionType
    text: str
    general_feedback: str = ""
    choices: list[Choice] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    def __post_init__(self) -> None:
        self.qtype = QuestionType(self.qtype)

    @property
    def text_format(self) -> str:
        """The question text's format (``moodle`` unless ``options`` names another)."""
        return self.options.get("text_format", DEFAULT_FORMAT)

    @property
    def has_blank(self) -> bool:
        """True for a missing-word question: the text marks where the answer goes."""
        return BLANK in self.text

    def format_of(self, own_format: str) -> str:
        """The format of a text whose own format field is ``own_format`` ("" = inherited)."""
        return own_format or self.text_format

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe data; ``Question.from_dict`` reverses it exactly."""
        return {
            "name": self.name,
            "qtype": self.qtype.value,
            "text": self.text,
            "general_feedback": self.general_feedback,
            "choices": [choice.to_dict() for choice in self.choices],
            "options": copy.deepcopy(self.options),
            "line": self.line,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        """Rebuild a question from ``to_dict()`` data; unknown keys raise ``ValueError``."""
        _check_keys(cls, data)
        values = dict(data)
        values["choices"] = [Choice.from_dict(c) for c in values.get("choices", [])]
        values["options"] = copy.deepcopy(values.get("options", {}))
        return cls(**values)


def _check_keys(cls: type, data: dict[str, Any]) -> None:
    if not isinstance(data, dict):
        raise ValueError(f"{cls.__name__} data must be a dict, not {type(data).__name__}")
    unknown = set(data) - {f.name for f in fields(cls)}
    if unknown:
        raise ValueError(f"unknown {cls.__name__} keys: {', '.join(sorted(unknown))}")
