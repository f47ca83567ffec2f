from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from courses.package.schema import PackageError
from courses.package.services import export_package


class Command(BaseCommand):
    help = "Write a course as a course-package/1 YAML file (to stdout unless -o is given)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument(
            "-o",
            "--output",
            help="file to write; the archives of SCORM and H5P units are written beside it",
        )

    def handle(self, *args, slug, output=None, **options):
        try:
            text = export_package(slug, Path(output).parent if output else None)
        except PackageError as exc:
            raise CommandError(str(exc)) from exc
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
