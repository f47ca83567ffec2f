"""Item analysis of a quiz for a class: how many got each question right, and the wrong
answers given most often, from the submitted attempts of the class's pupils.

The analysis tells a teacher no more about the answer key than the quiz tells its learners.
Only a quiz that shows the correct answers after every submitted attempt (``after_submit``)
gets the full analysis. For ``after_pass`` and ``never`` the teacher sees how many pupils
answered each question, in the quiz's order, but not the right answer, not the share right
and not the wrong answers: with a throwaway pupil of their own, a teacher could otherwise
read per-question right/wrong off the table and rebuild the key of an exam whose answers are
meant to stay secret. The class report still shows each pupil's score, as the pupil sees it.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from courses.models import AttemptStatus, BankQuestion, Response, ReviewPolicy
from courses.questions.data import QuestionType
from courses.questions.registry import right_answer

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


def shows_key(quiz):
    """Whether the item analysis may show per-question results and the right answers."""
    return quiz.review == ReviewPolicy.AFTER_SUBMIT


def item_analysis(quiz, user_ids):
    """One Item per question answered by the pupils, hardest first; three queries.

    When the quiz keeps its answers from learners (``shows_key`` is false), each Item carries
    only the question and how many answered it, and the Items come in the quiz's order."""
    if not shows_key(quiz):
        return _answered_only(quiz, user_ids)
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


def _answered_only(quiz, user_ids):
    totals = (
        Response.objects.filter(
            attempt__quiz=quiz, attempt__user_id__in=user_ids, attempt__status__in=SUBMITTED
        )
        .values("question_key")
        .annotate(answered=Count("pk", filter=~Q(answer_text="")))
        .order_by("question_key")
    )
    answered = {row["question_key"]: row["answered"] for row in totals}
    questions = _questions(quiz, list(answered))
    order = [q.name for q in quiz.own_questions()]
    keys = sorted(answered, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [
        Item(
            key=key,
            text=questions[key].text if key in questions else key,
            qtype=questions[key].qtype if key in questions else "",
            answered=answered[key],
        )
        for key in keys
    ]


def _questions(quiz, keys):
    questions = {q.name: q for q in quiz.own_questions()}
    bank_ids = [int(k[5:]) for k in keys if k.startswith("bank-") and k[5:].isdigit()]
    for bank_question in BankQuestion.objects.filter(pk__in=bank_ids):
        questions[f"bank-{bank_question.pk}"] = bank_question.as_question()
    return questions


def essays_to_grade(quiz, user_ids, grader):
    """Essay answers of the pupils still waiting for a grade, oldest first; never the
    ``grader``'s own (a teacher who also sat the quiz does not mark their own work)."""
    return (
        Response.objects.filter(
            attempt__quiz=quiz,
            attempt__user_id__in=user_ids,
            attempt__status=AttemptStatus.AWAITING_GRADING,
            credit__isnull=True,
        )
        .exclude(attempt__user=grader)
        .select_related("attempt__user")
        .order_by("attempt__submitted_at", "pk")
    )
