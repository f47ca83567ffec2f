"""A quiz's questions, read and parsed once per version of the quiz and of its bank, and
shared by every attempt started from them.

At the start of an exam a thousand learners press Start within a second. Each start used to
parse the quiz's GIFT text and, for a quiz that draws from a bank, read every question of
the bank with its JSON: the same work a thousand times over. The pool below is kept in each
process's memory, keyed by what it was built from, so no process can use an old one:

- the quiz's id and its GIFT text (a published change of the questions is a new text);
- for a quiz that draws from a bank, the bank's id and its version: how many questions it
  holds and when the last was saved (one indexed aggregate, far cheaper than the rows).

An attempt still draws, shuffles and orders its own questions (courses/quiz/attempts.py);
only the reading and parsing are shared. Each question is kept as its JSON text and decoded
for the attempt that draws it, so no attempt's snapshot shares a dict with another.
"""

import json
from dataclasses import dataclass
from functools import lru_cache

from django.db.models import Count, Max

from courses.models import BankQuestion
from courses.models.quiz import parse_quiz_gift
from courses.questions.data import Question
from courses.questions.registry import kind_of

# Quizzes (and bank versions) kept per process: an exam day has a handful at once.
KEPT = 64


@dataclass(frozen=True)
class PoolQuestion:
    key: str
    question_json: str
    order: tuple  # the question's own display order before any shuffle
    gradable: bool

    def item(self, shuffle, rng):
        order = list(self.order)
        if shuffle:
            rng.shuffle(order)
        return {"key": self.key, "question": json.loads(self.question_json), "order": order}


@dataclass(frozen=True)
class Pool:
    own: tuple
    bank: tuple


def pool_of(quiz):
    """The quiz's own questions and, when it draws from a bank, the bank's, as kept."""
    bank_id = quiz.draw_bank_id if quiz.draw_count else None
    version = _bank_version(bank_id) if bank_id else None
    return _pool(quiz.pk, quiz.gift, bank_id, version)


def _bank_version(bank_id):
    row = BankQuestion.objects.filter(bank_id=bank_id).aggregate(
        count=Count("pk"), last=Max("updated_at")
    )
    return row["count"], row["last"]


@lru_cache(maxsize=KEPT)
def _pool(quiz_pk, gift, bank_id, bank_version):
    own = tuple(_entry(question.name, question) for question in parse_quiz_gift(gift))
    bank = ()
    if bank_id:
        rows = BankQuestion.objects.filter(bank_id=bank_id).values("pk", "data")
        bank = tuple(_entry(f"bank-{row['pk']}", Question.from_dict(row["data"])) for row in rows)
    return Pool(own=own, bank=bank)


def _entry(key, question):
    kind = kind_of(question)
    return PoolQuestion(
        key=key,
        question_json=json.dumps(question.to_dict()),
        order=tuple(kind.display_order(question)),
        gradable=kind.gradable,
    )
