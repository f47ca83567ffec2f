from django.core.management.base import BaseCommand, CommandError

from xapi import forwarding


class Command(BaseCommand):
    help = "Send the xAPI statements that are due to the configured learning record store."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument("--max-batches", type=int, default=None)

    def handle(self, *args, batch_size=None, max_batches=None, **options):
        if not forwarding.configured():
            raise CommandError("XAPI_ENDPOINT, XAPI_KEY and XAPI_SECRET must all be set.")
        if batch_size is not None and batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        outcome = forwarding.forward(batch_size=batch_size, max_batches=max_batches)
        self.stdout.write(f"sent {outcome.sent}, failed {outcome.failed}")
        if outcome.failed:
            self.stderr.write(f"last error: {outcome.error}")
