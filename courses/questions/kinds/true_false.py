"""True/false: no choices; ``options["correct"]`` (bool), ``options["feedback_wrong"]`` and
``options["feedback_right"]`` (shown for a wrong and a right answer). A response is True or
False."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from courses.questions.data import Question, QuestionType
from courses.questions.gift_syntax import (
    GiftError,
    Text,
    check_format,
    check_text,
    own_format,
    parse_text_with_format,
    trim,
    write_text,
)
from courses.questions.kinds.base import ONE, ZERO, QuestionKind, ResponseError

_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


class TrueFalse(QuestionKind):
    qtype = QuestionType.TRUE_FALSE
    gift_rank = 50

    def gift_claims(self, answertext: str | None) -> bool:
        if answertext is None:
            return False
        check = answertext
        if answertext.find("#") > 0:
            check = trim(answertext[: answertext.find("#")])
        return check in _TRUE_FALSE

    def read_gift(self, question: Question, answertext: str, line: int) -> None:
        qfmt = question.text_format
        bits = answertext.split("#", 2)
        answer = parse_text_with_format(trim(bits[0]), qfmt)
        wrong = parse_text_with_format(trim(bits[1]), qfmt) if len(bits) > 1 else Text("", qfmt)
        right = parse_text_with_format(trim(bits[2]), qfmt) if len(bits) > 2 else Text("", qfmt)
        # Moodle: the first feedback is shown for a wrong answer, the second for a right one.
        question.options["correct"] = _TRUE_FALSE[answer.text]
        question.options["feedback_wrong"] = wrong.text
        question.options["feedback_right"] = right.text
        if own_format(wrong, qfmt):
            question.options["feedback_wrong_format"] = wrong.format
        if own_format(right, qfmt):
            question.options["feedback_right_format"] = right.format

    def gift_block(self, question: Question, general: str) -> str:
        line, qfmt, options = question.line, question.text_format, question.options
        correct = options.get("correct")
        if not isinstance(correct, bool):
            raise GiftError("a true/false question needs options['correct'] True or False", line)
        parts = []
        for key in ("feedback_wrong", "feedback_right"):
            text = options.get(key, "")
            fmt = options.get(f"{key}_format", "") or qfmt
            check_text(text, key.replace("_", " "), line, required=False)
            check_format(fmt, key.replace("_", " "), line)
            parts.append(write_text(text, fmt, qfmt))
        wrong, right = parts
        out = "TRUE" if correct else "FALSE"
        # Moodle's layout: "#wrong", then "#right"; an empty wrong one still needs its "#".
        if wrong:
            out += "#" + wrong
        elif right:
            out += "#"
        if right:
            out += "#" + right
        return "{" + out + general + "}"

    def form_answer(self, question: Question, data, name: str) -> Any:
        return {"true": True, "false": False}.get(data.get(name))

    def validate_response(self, question: Question, response: Any) -> None:
        if not isinstance(response, bool):
            raise ResponseError("a true/false response must be True or False")

    def credit(self, question: Question, response: Any) -> Decimal:
        return ONE if response == question.options.get("correct") else ZERO

    def right_answer(self, question: Question) -> str:
        return "√" if question.options.get("correct") else "×"

    def feedback_for(self, question: Question, answer: Any) -> str:
        right = answer == question.options.get("correct")
        return question.options.get("feedback_right" if right else "feedback_wrong", "")

    def answer_text(self, question: Question, answer: Any) -> str:
        return "√" if answer else "×"
