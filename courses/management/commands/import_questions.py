from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import Subject
from courses.quiz.banks import BankImportError, bank_for, import_questions, parse_questions


class Command(BaseCommand):
    help = "Import a GIFT or Aiken file into a question bank (created if missing), by name."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--bank", required=True, help="bank slug")
        parser.add_argument("--format", choices=["gift", "aiken"], default=None)
        parser.add_argument("--subject", help="subject slug for a new bank")
        parser.add_argument("--name", help="display name for a new bank")

    def handle(self, *args, path, bank, format=None, subject=None, name=None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        fmt = format or (
            "aiken"
            if file.suffix.lower() in {".aiken", ".txt"}
            and "ANSWER:" in file.read_text(encoding="utf-8")
            else "gift"
        )
        try:
            questions = parse_questions(file.read_text(encoding="utf-8"), fmt)
        except BankImportError as exc:
            raise CommandError(f"{file}: {exc}. Nothing was imported.") from exc
        subject_obj = Subject.objects.filter(slug=subject).first() if subject else None
        if subject and subject_obj is None:
            raise CommandError(f"unknown subject {subject!r}")
        created, updated, unchanged = import_questions(
            bank_for(bank, name=name, subject=subject_obj), questions
        )
        self.stdout.write(f"{bank}: {created} created, {updated} updated, {unchanged} unchanged")
