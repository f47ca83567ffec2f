from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from serving.pagecache import new_generation


class Command(BaseCommand):
    help = (
        "Drop the kept anonymous pages and site state in every process, after pages or "
        "settings were changed outside the admin (SQL, a shell)."
    )

    def handle(self, *args, **options):
        new_generation()
        self.stdout.write(_("Kept pages and site state dropped; the next requests rebuild them."))
