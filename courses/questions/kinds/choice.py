"""Multiple choice: single choice (one pick) and multiple response (any number of picks).

Both keep their answers in ``choices`` (text, fraction, feedback), are read from the same
GIFT syntax (``~wrong =right``, ``~%50%weighted``) and show their choices in the snapshot's
order; they differ in what a response is and how it is graded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from courses.questions.data import Choice, Question, QuestionType
from courses.questions.gift_syntax import (
    GiftError,
    answer_list,
    answer_text,
    check_fraction,
    comment_parser,
    own_format,
    split_answers,
    take_weight,
    trim,
    weight,
)
from courses.questions.kinds.base import ZERO, QuestionKind, ResponseError, clip, is_int


class _MultipleChoice(QuestionKind):
    single: bool

    def gift_block(self, question: Question, general: str) -> str:
        lines = self._gift_answers(question)
        return answer_list(lines, general)

    def read_gift(self, question: Question, answertext: str, line: int) -> None:
        qfmt = question.text_format
        answers = split_answers(answertext.replace("=", "~="), "~")
        if len(answers) < 2:
            raise GiftError("a multiple-choice question needs at least 2 answers", line)
        for raw in answers:
            answer = trim(raw)
            if answer.startswith("="):
                fraction: Decimal | None = Decimal(1)
                given, answer = take_weight(answer[1:], line)
                # Moodle takes "=%50%x" as the text "%50%x" worth 100%. Stricter than Moodle:
                # an explicit weight after "=" may only repeat the 100% that "=" means.
                if given is not None and given != 1:
                    raise GiftError(
                        "an '=' answer is worth 100%; write ~%50% for partial credit", line
                    )
            else:
                fraction, answer = take_weight(answer, line)
            text, feedback = comment_parser(answer, qfmt)
            if not text.text:
                # Moodle imports the empty answer and silently drops it when saving, which
                # can drop the right answer; stricter than Moodle, we refuse it.
                raise GiftError("an answer of the multiple-choice question is empty", line)
            question.choices.append(
                Choice(
                    text=text.text,
                    fraction=fraction if fraction is not None else Decimal(0),
                    feedback=feedback.text,
                    text_format=own_format(text, qfmt),
                    feedback_format=own_format(feedback, qfmt),
                )
            )

    def _gift_answers(self, question: Question) -> list[str]:
        line, qfmt = question.line, question.text_format
        single = self.single
        if len(question.choices) < 2:
            raise GiftError("a multiple-choice question needs at least 2 choices", line)
        if single and not any(choice.fraction == 1 for choice in question.choices):
            raise GiftError("a single-choice question needs a 100% choice to be GIFT", line)
        # The reader needs a "~" to see multiple choice at all (Moodle's exporter misses this
        # and writes an all-correct single choice that reads back as short answer);
        # "~%100%" is as good as "=" once another "=" makes the question single choice.
        tilde_for_last = single and all(choice.fraction == 1 for choice in question.choices)
        lines = []
        for number, choice in enumerate(question.choices, start=1):
            check_fraction(choice.fraction, line)
            answer = answer_text(choice, qfmt, f"choice {number}", line)
            starts_with_percent = answer.startswith("%")
            if tilde_for_last and number == len(question.choices):
                prefix = "~%100%"
            elif single and choice.fraction == 1:
                prefix = "=%100%" if starts_with_percent else "="
            elif choice.fraction == 0 and not starts_with_percent:
                prefix = "~"
            else:
                prefix = f"~%{weight(choice.fraction)}%"
            lines.append(prefix + answer)
        return lines

    def display_order(self, question: Question) -> list:
        return list(range(len(question.choices)))

    def present(self, question: Question, order: list) -> dict[str, Any]:
        return {
            "choices": [{"value": index, "text": question.choices[index].text} for index in order]
        }


class SingleChoice(_MultipleChoice):
    """The student picks one choice; its fraction is the credit."""

    qtype = QuestionType.SINGLE_CHOICE
    single = True
    gift_rank = 30

    def gift_claims(self, answertext: str | None) -> bool:
        # Moodle: any "=" among "~" answers makes it single choice.
        return answertext is not None and "~" in answertext and "=" in answertext

    def form_answer(self, question: Question, data, name: str) -> Any:
        return int(data[name]) if data.get(name) else None

    def validate_response(self, question: Question, response: Any) -> None:
        count = len(question.choices)
        if not is_int(response):
            raise ResponseError("a single-choice response must be a choice index (int)")
        if not 0 <= response < count:
            raise ResponseError(f"choice index {response} is not between 0 and {count - 1}")

    def credit(self, question: Question, response: Any) -> Decimal:
        return clip(question.choices[response].fraction)

    def right_answer(self, question: Question) -> str:
        best = max(question.choices, key=lambda c: c.fraction, default=None)
        return best.text if best else ""

    def feedback_for(self, question: Question, answer: Any) -> str:
        return question.choices[answer].feedback if isinstance(answer, int) else ""

    def answer_text(self, question: Question, answer: Any) -> str:
        return question.choices[answer].text


class MultipleResponse(_MultipleChoice):
    """The student picks any number of choices; the fractions of the picked ones add up,
    clipped to [0, 1] (negative weights count against the student, never below 0)."""

    qtype = QuestionType.MULTIPLE_RESPONSE
    single = False
    gift_rank = 31  # after single choice: "~" answers without any "="

    def gift_claims(self, answertext: str | None) -> bool:
        return answertext is not None and "~" in answertext

    def form_answer(self, question: Question, data, name: str) -> Any:
        values = data.getlist(name)
        return [int(v) for v in values] if values else None

    def validate_response(self, question: Question, response: Any) -> None:
        count = len(question.choices)
        if not isinstance(response, list | tuple):
            raise ResponseError("a multiple-response response must be a list of choice indices")
        if not all(is_int(index) for index in response):
            raise ResponseError("choice indices must be ints")
        if len(set(response)) != len(response):
            raise ResponseError("a choice index appears twice")
        for index in response:
            if not 0 <= index < count:
                raise ResponseError(f"choice index {index} is not between 0 and {count - 1}")

    def credit(self, question: Question, response: Any) -> Decimal:
        return clip(sum((question.choices[index].fraction for index in response), ZERO))

    def right_answer(self, question: Question) -> str:
        return "；".join(c.text for c in question.choices if c.fraction > 0)

    def feedback_for(self, question: Question, answer: Any) -> str:
        if not isinstance(answer, list):
            return ""
        return " ".join(
            question.choices[i].feedback for i in answer if question.choices[i].feedback
        )

    def answer_text(self, question: Question, answer: Any) -> str:
        return "；".join(question.choices[i].text for i in sorted(answer))
