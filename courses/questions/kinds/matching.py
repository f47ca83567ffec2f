"""Matching: ``choices`` pair a left ``text`` with a right ``match``; a choice with an empty
``text`` is a distractor that only adds its ``match`` to the right column. A response is a
dict {left index: chosen right text} (keys may be ints or digit strings, as JSON sends them);
the credit is the share of pairs answered right."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from courses.questions.data import Choice, Question, QuestionType
from courses.questions.gift_syntax import (
    GiftError,
    answer_list,
    check_format,
    check_text,
    escape,
    escape_post,
    own_format,
    parse_text_with_format,
    split_answers,
    trim,
    write_text,
)
from courses.questions.kinds.base import (
    SHORT_ANSWER_MAX_LENGTH,
    ZERO,
    QuestionKind,
    ResponseError,
    clip,
    is_int,
)


class Matching(QuestionKind):
    qtype = QuestionType.MATCHING
    gift_rank = 40

    def gift_claims(self, answertext: str | None) -> bool:
        return answertext is not None and "=" in answertext and "->" in answertext

    def read_gift(self, question: Question, answertext: str, line: int) -> None:
        qfmt = question.text_format
        for raw in split_answers(answertext, "="):
            answer = trim(raw)
            left, arrow, right = answer.partition("->")
            if not arrow:
                raise GiftError(f"matching answer {escape_post(answer)!r} has no '->'", line)
            left_text = parse_text_with_format(left, qfmt)
            right_text = trim(escape_post(right))
            if not right_text:
                # Stricter than Moodle's importer (its editing form refuses this too).
                raise GiftError(
                    f"matching answer {escape_post(answer)!r} has nothing after '->'", line
                )
            question.choices.append(
                Choice(
                    text=left_text.text, text_format=own_format(left_text, qfmt), match=right_text
                )
            )
        # Moodle counts distractors ("= -> Chat") too; a matching question needs two real pairs.
        if sum(1 for choice in question.choices if choice.text) < 2:
            raise GiftError("a matching question needs at least 2 pairs", line)

    def gift_block(self, question: Question, general: str) -> str:
        line, qfmt = question.line, question.text_format
        if sum(1 for choice in question.choices if choice.text) < 2:
            raise GiftError("a matching question needs at least 2 pairs", line)
        lines = []
        for number, choice in enumerate(question.choices, start=1):
            what = f"pair {number}"
            check_text(choice.text, what, line, required=False)
            check_text(choice.match, f"the right side of {what}", line)
            check_format(choice.text_format, what, line)
            if "->" in choice.text:
                raise GiftError(f"the left side of {what} cannot contain '->'", line)
            left = write_text(choice.text, choice.text_format or qfmt, qfmt)
            lines.append(f"={left} -> {escape(choice.match)}")
        return answer_list(lines, general)

    def display_order(self, question: Question) -> list:
        """The right-hand texts, each once (a distractor adds one)."""
        return sorted({choice.match for choice in question.choices})

    def present(self, question: Question, order: list) -> dict[str, Any]:
        return {
            "pairs": [
                {"index": index, "text": choice.text}
                for index, choice in enumerate(question.choices)
                if choice.text
            ],
            "options": order,
        }

    def form_answer(self, question: Question, data, name: str) -> Any:
        pairs = {
            str(i): data.get(f"{name}-{i}")
            for i, c in enumerate(question.choices)
            if c.text and data.get(f"{name}-{i}")
        }
        return pairs or None

    def validate_response(self, question: Question, response: Any) -> None:
        self._pairs(question, response)

    def credit(self, question: Question, response: Any) -> Decimal:
        choices = question.choices
        pairs = self._pairs(question, response)
        right = sum(1 for index, chosen in pairs.items() if chosen == choices[index].match)
        total = sum(1 for choice in choices if choice.text)
        return clip(Decimal(right) / Decimal(total)) if total else ZERO

    def _pairs(self, question: Question, response: Any) -> dict[int, str]:
        """Validate a matching response and return it as {left index: chosen right text}."""
        if not isinstance(response, dict):
            raise ResponseError("a matching response must be a dict {left index: right text}")
        offered = {choice.match for choice in question.choices}
        pairs: dict[int, str] = {}
        seen: set[int] = set()
        for key, chosen in response.items():
            if is_int(key):
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

    def right_answer(self, question: Question) -> str:
        return "；".join(f"{c.text} → {c.match}" for c in question.choices if c.text)

    def answer_text(self, question: Question, answer: Any) -> str:
        return "；".join(f"{question.choices[int(i)].text} → {m}" for i, m in answer.items())
