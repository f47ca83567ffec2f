"""What every question type answers for itself; each type is one subclass in its own module.

A ``QuestionKind`` is stateless: the registry (``courses.questions.registry``) holds one
instance per ``QuestionType`` and everything that used to ask "which type is this?" asks the
kind instead. Its duties, in the order a question lives them:

- **GIFT**: ``gift_claims`` says whether an answer block is this type's (the registry tries
  the kinds in ``gift_rank`` order, which is Moodle's order of tests); ``read_gift`` fills
  the question from the block; ``gift_block`` writes the block back.
- **Attempt page**: ``display_order`` (what a shuffle may reorder), ``present`` (what the
  learner sees besides the text), ``form_answer`` (the answer from a posted form).
- **Grading**: ``validate_response`` refuses a response of the wrong shape with
  ``ResponseError``; ``grade`` returns the credit, a Decimal in [0, 1], or None when a
  teacher grades it or there is nothing to grade.
- **Review and reports**: ``right_answer``, ``feedback_for`` and ``answer_text`` as words.

Defaults here are those of a type with no choices; each subclass overrides what it has.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from courses.questions.data import Question, QuestionType

SHORT_ANSWER_MAX_LENGTH = 2_000
ESSAY_MAX_LENGTH = 20_000

ZERO = Decimal(0)
ONE = Decimal(1)
CREDIT_PLACES = Decimal("0.0001")


class ResponseError(ValueError):
    """The response does not have the shape this question type takes."""


def clip(credit: Decimal) -> Decimal:
    """Within [0, 1], to four places: thirds written as 33.33333% add up to full credit."""
    return max(ZERO, min(ONE, credit.quantize(CREDIT_PLACES)))


def is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_string(response: Any, limit: int, what: str) -> str:
    if not isinstance(response, str):
        raise ResponseError(f"{what} must be a string, not {type(response).__name__}")
    if len(response) > limit:
        raise ResponseError(f"{what} is longer than {limit} characters")
    return response


def best_fraction(question: Question, matches) -> Decimal | None:
    """The best fraction among the choices ``matches(choice)`` accepts, None if none does.

    Unlike Moodle, which takes the first matching answer, the best one wins.
    """
    best: Decimal | None = None
    for choice in question.choices:
        if matches(choice):
            best = choice.fraction if best is None else max(best, choice.fraction)
    return best


class QuestionKind:
    qtype: ClassVar[QuestionType]
    # Whether a learner answers it at all (a description is only text between questions).
    gradable: ClassVar[bool] = True
    # Whether a teacher grades it: its credit stays None until then.
    graded_by_teacher: ClassVar[bool] = False
    # Lower ranks are tried first when reading a GIFT answer block (Moodle's order of tests).
    gift_rank: ClassVar[int] = 50

    # --- GIFT --------------------------------------------------------------------------

    def gift_claims(self, answertext: str | None) -> bool:
        """Whether a GIFT answer block (None: no braces at all) is a question of this type."""
        raise NotImplementedError

    def read_gift(self, question: Question, answertext: str, line: int) -> None:
        """Fill ``question`` (text, format and feedback already read) from its answer block."""

    def gift_block(self, question: Question, general: str) -> str | None:
        """The answer block as GIFT, ``general`` (the ``####`` feedback) included; None for
        no block. Raises ``GiftError`` for a question GIFT cannot express."""
        raise NotImplementedError

    # --- Attempt page ------------------------------------------------------------------

    def display_order(self, question: Question) -> list:
        """What the attempt shows in an order of its own (shuffled when the quiz shuffles)."""
        return []

    def present(self, question: Question, order: list) -> dict[str, Any]:
        """What the attempt page shows besides the text; never fractions or feedback."""
        return {}

    def form_answer(self, question: Question, data, name: str) -> Any:
        """The answer posted in form field ``name`` (``data`` is a QueryDict), None if none.

        A ValueError raised here counts as no answer."""
        value = data.get(name, "")
        return value if value.strip() else None

    # --- Grading -----------------------------------------------------------------------

    def validate_response(self, question: Question, response: Any) -> None:
        """Raise ``ResponseError`` unless ``response`` has the shape this type takes."""
        raise NotImplementedError

    def credit(self, question: Question, response: Any) -> Decimal | None:
        """The credit of a response already validated."""
        return None

    def grade(self, question: Question, response: Any) -> Decimal | None:
        self.validate_response(question, response)
        return self.credit(question, response)

    def unanswered_credit(self) -> Decimal | None:
        """Nothing earned for a blank answer; one a teacher grades stays None for them."""
        return None if self.graded_by_teacher else ZERO

    # --- Review and reports ------------------------------------------------------------

    def right_answer(self, question: Question) -> str:
        return ""

    def feedback_for(self, question: Question, answer: Any) -> str:
        """Feedback for a given (not None) answer."""
        return ""

    def answer_text(self, question: Question, answer: Any) -> str:
        """A given (not None) answer as words, for teachers' reports."""
        return str(answer)
