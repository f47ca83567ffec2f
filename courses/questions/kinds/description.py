"""Description: not a question, just text shown between questions; nothing to answer."""

from __future__ import annotations

from typing import Any

from courses.questions.data import Question, QuestionType
from courses.questions.gift_syntax import GiftError
from courses.questions.kinds.base import QuestionKind, ResponseError


class Description(QuestionKind):
    qtype = QuestionType.DESCRIPTION
    gradable = False
    gift_rank = 0

    def gift_claims(self, answertext: str | None) -> bool:
        return answertext is None  # text without any answer block

    def gift_block(self, question: Question, general: str) -> None:
        if question.general_feedback:
            raise GiftError("a description cannot have general feedback in GIFT", question.line)
        return None

    def form_answer(self, question: Question, data, name: str) -> None:
        return None

    def validate_response(self, question: Question, response: Any) -> None:
        if response is not None:
            raise ResponseError("a description takes no response (None)")
