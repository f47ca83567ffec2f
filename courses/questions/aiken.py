"""Aiken, the one-line multiple-choice format Moodle imports: ``parse_aiken`` reads it.

::

    What does PDCA stand for?
    A) Plan, Do, Check, Act
    B. Prepare, Deliver, Control, Audit
    ANSWER: A

Follows Moodle's importer (``question/format/aiken/format.php``): each line is trimmed and
lines shorter than two bytes are skipped (so blank lines between questions are optional); a
line starting with a capital letter and ``)`` or ``.`` is an option; ``ANSWER:`` ends the
question; any other line starts a question, whose text is that one line. Like Moodle the
texts are HTML-escaped (``&``, ``<``, ``>``) and the question's format is ``html``.

Where Moodle reports an error and goes on, or silently imports something broken, this parser
raises ``AikenError`` naming the line; comments saying "stricter than Moodle" mark where it
refuses what Moodle would let through.
"""

from __future__ import annotations

import html
import re

from courses.questions.data import Choice, Question, QuestionType
from courses.questions.source import (
    PHP_WHITESPACE,
    decode_source,
    default_question_name,
    numbered_lines,
)

__all__ = ["AikenError", "parse_aiken"]


class AikenError(ValueError):
    """Malformed Aiken text; ``line`` is the offending line (1-based)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


_OPTION_RE = re.compile(r"[A-Z][).][ \t]?")  # Moodle: /^[A-Z][).][ \t]?/
# Moodle takes the first character after "ANSWER:"; we also allow "B)" or "B." but nothing
# else after it, so "ANSWER: B, C" is an error rather than silently B.
_ANSWER_RE = re.compile(r"ANSWER:[ \t]*([A-Z])[).]?")


def _escape(text: str) -> str:
    # PHP's htmlspecialchars(..., ENT_NOQUOTES): & < > only.
    return html.escape(text, quote=False)


def parse_aiken(text: str | bytes) -> list[Question]:
    """Parse Aiken text into single_choice questions; raises ``AikenError`` and nothing else."""
    text = decode_source(text, "Aiken", AikenError)

    questions: list[Question] = []
    current: Question | None = None
    for number, raw in numbered_lines(text):
        line = raw.strip(PHP_WHITESPACE)
        if len(line.encode("utf-8")) < 2:  # Moodle: strlen($nowline) < 2
            continue
        if _OPTION_RE.match(line):
            if current is None:
                raise AikenError("an option comes before any question text", number)
            expected = chr(ord("A") + len(current.choices))
            # Moodle numbers options by their order and ignores the letters, so "A) B) D)"
            # with "ANSWER: D" marks nothing right. Stricter than Moodle: letters must run
            # A, B, C… so that ANSWER means what the author sees.
            if line[0] != expected:
                raise AikenError(f"option {line[0]} should be option {expected}", number)
            option = line[2:].strip(PHP_WHITESPACE)
            if not option:
                raise AikenError(f"option {line[0]} is empty", number)
            current.choices.append(Choice(text=_escape(option)))
        elif line.startswith("ANSWER:"):
            if current is None:
                raise AikenError("ANSWER: comes before any question text", number)
            match = _ANSWER_RE.fullmatch(line.rstrip(PHP_WHITESPACE))
            if not match:
                raise AikenError("ANSWER: must be followed by one option letter, A to Z", number)
            if len(current.choices) < 2:
                raise AikenError("a question needs at least 2 options", number)
            letter = match.group(1)
            index = ord(letter) - ord("A")
            if not 0 <= index < len(current.choices):
                # Moodle sets a fraction for an option that does not exist: no right answer.
                raise AikenError(f"ANSWER: {letter} is not one of the options", number)
            current.choices[index].fraction = 1
            questions.append(current)
            current = None
        else:
            if current is not None:
                # Moodle reports the unfinished question and drops it; question text must be
                # a single line in Aiken.
                raise AikenError(
                    f"question from line {current.line} has no ANSWER: line "
                    "(question text must be on one line)",
                    number,
                )
            current = Question(
                name=default_question_name(line),
                qtype=QuestionType.SINGLE_CHOICE,
                text=_escape(line),
                options={"text_format": "html"},
                line=number,
            )
    if current is not None:
        # Moodle silently drops a question that the file ends in the middle of.
        raise AikenError("the last question has no ANSWER: line", current.line)
    return questions
