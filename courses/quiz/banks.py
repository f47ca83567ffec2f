"""Question banks: import from GIFT or Aiken files (all or nothing), export to GIFT."""

from pathlib import Path

from django.db import transaction

from courses.models import BankQuestion, QuestionBank, Subject
from courses.questions.aiken import AikenError, parse_aiken
from courses.questions.data import Question
from courses.questions.gift_reader import GiftError, parse_gift
from courses.questions.gift_writer import dump_gift

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


def import_bank_folder(folder):
    """Import every ``<subject-slug>.gift`` in ``folder`` into the bank of that slug.

    A missing bank is created with the subject of the same slug. Every file is parsed and
    every subject found before anything is written, so a bad file changes nothing; the error
    names the file. Returns ``{bank_slug: (created, updated, unchanged)}``.
    """
    parsed = []
    for path in sorted(Path(folder).glob("*.gift")):
        subject = Subject.objects.filter(slug=path.stem).first()
        if subject is None:
            raise BankImportError(
                f"{path.name}: no subject with the slug {path.stem!r}; a bank file is named "
                "after its subject"
            )
        try:
            questions = parse_questions(path.read_text(encoding="utf-8"), "gift")
        except BankImportError as exc:
            raise BankImportError(f"{path.name}: {exc}") from exc
        parsed.append((path.stem, subject, questions))
    counts = {}
    with transaction.atomic():
        for slug, subject, questions in parsed:
            bank = bank_for(slug, name=f"{subject.name}题库", subject=subject)
            counts[slug] = import_questions(bank, questions)
    return counts
