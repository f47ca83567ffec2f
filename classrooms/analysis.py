"""Item analysis of a quiz for a class: how many got each question right, and the wrong
answers given most often, from the submitted attempts of the class's pupils."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from courses.models import AttemptStatus, BankQuestion, Response
from courses.quiz.presentation import right_answer
from courses.quiz.questions import QuestionType

SUBMITTED = (AttemptStatus.FINISHED, AttemptStatus.AWAITING_GRADING)
TOP_WRONG = 3


@dataclass
class Item:
    key: str
    text: str
    qtype: str
    right_answer: str = ""
    answered: int = 0
    correct: int = 0
    wrong_answers: list = field(default_factory=list)  # (answer text, count), most common first

    @property
    def share_correct(self):
        return round(100 * self.correct / self.answered) if self.answered else None


def item_analysis(quiz, user_ids):
    """One Item per question answered by the pupils, hardest first; three queries."""
    submitted = Response.objects.filter(
        attempt__quiz=quiz, attempt__user_id__in=user_ids, attempt__status__in=SUBMITTED
    )
    totals = submitted.values("question_key").annotate(
        answered=Count("pk", filter=Q(credit__isnull=False)),
        correct=Count("pk", filter=Q(credit=1)),
    )
    wrong = (
        submitted.filter(credit__lt=1)
        .exclude(answer_text="")
        .values("question_key", "answer_text")
        .annotate(n=Count("pk"))
        .order_by("question_key", "-n", "answer_text")
    )
    questions = _questions(quiz, [row["question_key"] for row in totals])
    items = {}
    for row in totals:
        question = questions.get(row["question_key"])
        items[row["question_key"]] = Item(
            key=row["question_key"],
            text=question.text if question else row["question_key"],
            qtype=question.qtype if question else "",
            right_answer=right_answer(question) if question else "",
            answered=row["answered"],
            correct=row["correct"],
        )
    for row in wrong:
        item = items.get(row["question_key"])
        if (
            item is not None
            and item.qtype != QuestionType.ESSAY
            and len(item.wrong_answers) < TOP_WRONG
        ):
            item.wrong_answers.append((row["answer_text"], row["n"]))
    return sorted(
        items.values(),
        key=lambda i: (i.share_correct if i.share_correct is not None else 101, i.key),
    )


def _questions(quiz, keys):
    questions = {q.name: q for q in quiz.own_questions()}
    bank_ids = [int(k[5:]) for k in keys if k.startswith("bank-") and k[5:].isdigit()]
    for bank_question in BankQuestion.objects.filter(pk__in=bank_ids):
        questions[f"bank-{bank_question.pk}"] = bank_question.as_question()
    return questions


def essays_to_grade(quiz, user_ids):
    """Essay answers of the pupils still waiting for a grade, oldest first."""
    return (
        Response.objects.filter(
            attempt__quiz=quiz,
            attempt__user_id__in=user_ids,
            attempt__status=AttemptStatus.AWAITING_GRADING,
            credit__isnull=True,
        )
        .select_related("attempt__user")
        .order_by("attempt__submitted_at", "pk")
    )
