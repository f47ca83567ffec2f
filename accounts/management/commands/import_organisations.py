from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.imports import OrganisationImport


class Command(BaseCommand):
    help = (
        "Register enterprises and schools from a CSV or XLSX file (columns: 名称, "
        "统一社会信用代码, 类型, 所在区, 行业, 规模). Checks only, unless --commit is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--commit", action="store_true", help="create the organisations")

    def handle(self, *args, path, commit=False, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        importer = OrganisationImport()
        content = file.read_bytes()
        report = importer.check(file.name, content)
        for problem in report.problems:
            self.stderr.write(problem)
        for row in report.error_rows:
            self.stderr.write(f"row {row.line}: {' '.join(row.errors)}")
        self.stdout.write(
            f"{len(report.rows)} rows: {report.count_create} to create, "
            f"{report.count_unchanged} already registered, {len(report.error_rows)} with errors"
        )
        if not report.ok:
            raise CommandError("Nothing was imported: correct the rows above and run again.")
        if commit:
            _, created = importer.apply(file.name, content)
            self.stdout.write(f"created {len(created)} organisations")
        else:
            self.stdout.write("Checked only; run again with --commit to create them.")
