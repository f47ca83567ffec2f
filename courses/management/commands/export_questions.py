from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.models import QuestionBank
from courses.quiz.banks import export_bank


class Command(BaseCommand):
    help = "Write a question bank as GIFT (to stdout unless -o is given)."

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True)
        parser.add_argument("-o", "--output")

    def handle(self, *args, bank, output=None, **options):
        found = QuestionBank.objects.filter(slug=bank).first()
        if found is None:
            raise CommandError(f"no question bank {bank!r}")
        text = export_bank(found)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
