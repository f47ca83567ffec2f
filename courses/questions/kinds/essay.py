"""Essay: no choices; a response is a string that a teacher grades (its credit stays None)."""

from __future__ import annotations

from typing import Any

from courses.questions.data import Question, QuestionType
from courses.questions.kinds.base import ESSAY_MAX_LENGTH, QuestionKind, check_string


class Essay(QuestionKind):
    qtype = QuestionType.ESSAY
    graded_by_teacher = True
    gift_rank = 10

    def gift_claims(self, answertext: str | None) -> bool:
        return answertext == ""  # "{}"

    def gift_block(self, question: Question, general: str) -> str:
        return "{" + general + "}"

    def validate_response(self, question: Question, response: Any) -> None:
        check_string(response, ESSAY_MAX_LENGTH, "an essay")
