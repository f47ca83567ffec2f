"""The question types, one ``QuestionKind`` each, keyed by their ``QuestionType`` value.

Everything that depends on a question's type asks its kind here instead of testing the type:
the GIFT reader and writer, grading, the attempt pages, reviews and reports. Adding a type is
its module in ``kinds/``, its value in ``QuestionType`` and one line in ``KINDS``; a test
checks that every ``QuestionType`` has exactly one kind.

Missing word is not a type of its own: it is a single-choice or short-answer question whose
text holds the blank marker (see ``courses.questions.data``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from courses.questions.data import Question, QuestionType
from courses.questions.kinds.base import QuestionKind
from courses.questions.kinds.choice import MultipleResponse, SingleChoice
from courses.questions.kinds.description import Description
from courses.questions.kinds.essay import Essay
from courses.questions.kinds.matching import Matching
from courses.questions.kinds.numerical import Numerical
from courses.questions.kinds.short_answer import ShortAnswer
from courses.questions.kinds.true_false import TrueFalse

KINDS: dict[QuestionType, QuestionKind] = {
    kind.qtype: kind
    for kind in (
        SingleChoice(),
        MultipleResponse(),
        TrueFalse(),
        ShortAnswer(),
        Numerical(),
        Matching(),
        Essay(),
        Description(),
    )
}

# The order Moodle's GIFT importer tests an answer block in: the first kind to claim it wins.
_GIFT_ORDER = sorted(KINDS.values(), key=lambda kind: kind.gift_rank)


def kind_of(question: Question | QuestionType | str) -> QuestionKind:
    """The kind of a question, or of a type value (as stored in a snapshot or a bank row)."""
    qtype = question.qtype if isinstance(question, Question) else QuestionType(question)
    return KINDS[qtype]


def gift_kind(answertext: str | None) -> QuestionKind:
    """The kind of a GIFT question from its answer block (None when it has no braces)."""
    return next(kind for kind in _GIFT_ORDER if kind.gift_claims(answertext))


def validate_response(question: Question, response: Any) -> None:
    """Raise ``ResponseError`` unless ``response`` has the shape ``question`` takes."""
    kind_of(question).validate_response(question, response)


def grade(question: Question, response: Any) -> Decimal | None:
    """The credit for ``response``, a Decimal in [0, 1]; None for essays (a teacher grades
    them) and descriptions (nothing to grade). Raises ``ResponseError`` for a malformed
    response, so a web layer can answer 400; no database, no side effects."""
    return kind_of(question).grade(question, response)


def right_answer(question: Question) -> str:
    """The right answer as words, for reviews and item analysis ("" for essays)."""
    return kind_of(question).right_answer(question)


def feedback_for(question: Question, answer: Any) -> str:
    """The feedback for the learner's answer ("" when there is no answer or none applies)."""
    if answer is None:
        return ""
    return kind_of(question).feedback_for(question, answer)
