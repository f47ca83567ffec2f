from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import Subject
from courses.quiz.banks import (
    BankImportError,
    bank_for,
    import_bank_folder,
    import_questions,
    parse_questions,
)


class Command(BaseCommand):
    help = (
        "Import a GIFT or Aiken file into a question bank (created if missing), by name; or a "
        "folder of <subject-slug>.gift files, each into the bank of its subject (content/banks)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--bank", help="bank slug (required for a file)")
        parser.add_argument("--format", choices=["gift", "aiken"], default=None)
        parser.add_argument("--subject", help="subject slug for a new bank")
        parser.add_argument("--name", help="display name for a new bank")

    def handle(self, *args, path, bank, format=None, subject=None, name=None, **options):
        file = Path(path)
        if file.is_dir():
            return self._folder(file, bank)
        if not bank:
            raise CommandError("--bank is required when importing a file")
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

    def _folder(self, folder, bank):
        if bank:
            raise CommandError("a folder's files name their own banks: leave out --bank")
        try:
            counts = import_bank_folder(folder)
        except BankImportError as exc:
            raise CommandError(f"{folder}/{exc}. Nothing was imported.") from exc
        if not counts:
            raise CommandError(f"no .gift files in {folder}")
        for slug, (created, updated, unchanged) in counts.items():
            self.stdout.write(
                f"{slug}: {created} created, {updated} updated, {unchanged} unchanged"
            )
