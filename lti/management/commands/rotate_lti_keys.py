from datetime import timedelta

from django.core.management.base import BaseCommand

from lti.tool import rotate_keys


class Command(BaseCommand):
    help = (
        "Makes a new LTI signing key; keys older than --retire-after days are withdrawn from "
        "the published key set, younger ones stay published."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retire-after", type=int, default=30)

    def handle(self, *args, retire_after, **options):
        key, retired = rotate_keys(timedelta(days=retire_after))
        self.stdout.write(f"New key {key}; {retired} withdrawn.")
