"""Short answer: ``choices`` are the accepted answers (``*`` is a wildcard) with a fraction
and feedback. A response is a string, compared with each accepted answer after normalising
both (Unicode NFKC, case folding, outer white space stripped, inner runs of white space
collapsed); ``\\*`` is a literal asterisk; the best matching fraction wins."""

from __future__ import annotations

import functools
import re
import unicodedata
from decimal import Decimal
from typing import Any

from courses.questions.data import Choice, Question, QuestionType
from courses.questions.gift_syntax import (
    GiftError,
    answer_list,
    check_format,
    check_fraction,
    check_text,
    comment_parser,
    own_format,
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
    best_fraction,
    check_string,
    clip,
)

_WILDCARD_RE = re.compile(r"(?<!\\)\*+")  # Moodle: runs of unescaped asterisks


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


class ShortAnswer(QuestionKind):
    qtype = QuestionType.SHORT_ANSWER
    gift_rank = 100  # Moodle's last resort: whatever no other type claimed

    def gift_claims(self, answertext: str | None) -> bool:
        return answertext is not None

    def read_gift(self, question: Question, answertext: str, line: int) -> None:
        qfmt = question.text_format
        answers = split_answers(answertext, "=")
        if not answers:
            raise GiftError("a short-answer question needs at least 1 answer", line)
        for raw in answers:
            given, answer = take_weight(trim(raw), line)
            text, feedback = comment_parser(answer, qfmt)
            if not text.text:
                # Moodle drops empty answers when saving; stricter than Moodle, we refuse them.
                raise GiftError("an answer of the short-answer question is empty", line)
            question.choices.append(
                Choice(
                    text=text.text,  # Moodle keeps no format for short-answer answers
                    fraction=given if given is not None else Decimal(1),
                    feedback=feedback.text,
                    feedback_format=own_format(feedback, qfmt),
                )
            )

    def gift_block(self, question: Question, general: str) -> str:
        line, qfmt = question.line, question.text_format
        if not question.choices:
            raise GiftError("a short-answer question needs at least 1 answer", line)
        lines = []
        for number, choice in enumerate(question.choices, start=1):
            what = f"answer {number}"
            check_fraction(choice.fraction, line)
            check_text(choice.text, what, line)
            check_text(choice.feedback, f"the feedback of {what}", line, required=False)
            check_format(choice.feedback_format, f"the feedback of {what}", line)
            # The reader would take "=" together with "->" for a matching question.
            if "->" in choice.text or "->" in choice.feedback:
                raise GiftError(f"{what} of a short-answer question cannot contain '->'", line)
            # Short-answer answers have no format of their own: write the question's one
            # only when the text starts with something the reader would take for a marker.
            text = write_text(choice.text, qfmt, qfmt)
            feedback = write_text(choice.feedback, choice.feedback_format or qfmt, qfmt)
            lines.append(f"=%{weight(choice.fraction)}%{text}#{feedback}")
        return answer_list(lines, general)

    def validate_response(self, question: Question, response: Any) -> None:
        check_string(response, SHORT_ANSWER_MAX_LENGTH, "a short answer")

    def credit(self, question: Question, response: Any) -> Decimal:
        given = normalize_answer(response)
        if not given:
            return ZERO  # Moodle does not grade a blank answer, not even against "*"
        best = best_fraction(question, lambda choice: _answer_pattern(choice.text).fullmatch(given))
        return clip(best) if best is not None else ZERO

    def right_answer(self, question: Question) -> str:
        best = max(question.choices, key=lambda c: c.fraction, default=None)
        return best.text if best else ""
