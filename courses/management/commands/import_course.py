from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from courses.package.schema import PackageError
from courses.package.services import import_packages


class Command(BaseCommand):
    help = "Import course packages (course-package/1 YAML files, or folders of them)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="package files or folders of *.yaml")

    def handle(self, *args, paths, **options):
        try:
            results = import_packages(paths)
        except PackageError as exc:
            raise CommandError(_("Nothing was imported. %(error)s") % {"error": exc}) from exc
        for result in results:
            self.stdout.write(f"{result.status:9} {result.slug} ({result.lessons} units)")
