"""Question banks: import from GIFT or Aiken files (all or nothing), export to GIFT."""

from django.db import transaction

from courses.models import BankQuestion, QuestionBank
from courses.quiz.aiken import AikenError, parse_aiken
from courses.quiz.gift import GiftError, dump_gift, parse_gift
from courses.quiz.questions import Question

FORMATS = {"gift": parse_gift, "aiken": parse_aiken}


class BankImportError(ValueError):
    pass


def parse_questions(text, fmt="gift"):
    """Parse a file's questions. Names identify questions on re-import, so a name used again
    in the same file (Moodle allows it) is numbered: the second "Q" becomes "Q (2)"."""
    if fmt not in FORMATS:
        raise BankImportError(f"unknown format {fmt!r}; use gift or aiken")
    try:
        questions = FORMATS[fmt](text)
    except (GiftError, AikenError) as exc:
        raise BankImportError(str(exc)) from exc
    seen = {}
    for question in questions:
        count = seen.get(question.name, 0) + 1
        seen[question.name] = count
        if count > 1:
            question.name = f"{question.name} ({count})"
    if not questions:
        raise BankImportError("the file holds no question")
    return questions


@transaction.atomic
def import_questions(bank, questions):
    """Create or update the bank's questions by name; returns (created, updated, unchanged)."""
    existing = {q.name: q for q in bank.questions.all()}
    created = updated = unchanged = 0
    for question in questions:
        data = question.to_dict()
        data.pop("line", None)
        current = existing.get(question.name)
        if current is None:
            BankQuestion.objects.create(
                bank=bank, name=question.name, qtype=question.qtype, text=question.text, data=data
            )
            created += 1
        elif current.data != data:
            current.qtype, current.text, current.data = question.qtype, question.text, data
            current.save(update_fields=["qtype", "text", "data", "updated_at"])
            updated += 1
        else:
            unchanged += 1
    return created, updated, unchanged


def bank_for(slug, name=None, subject=None):
    bank, _ = QuestionBank.objects.get_or_create(
        slug=slug, defaults={"name": name or slug, "subject": subject}
    )
    return bank


def export_bank(bank):
    return dump_gift(Question.from_dict(q.data) for q in bank.questions.order_by("name"))
