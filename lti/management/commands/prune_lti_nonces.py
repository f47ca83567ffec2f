from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from lti.models import UsedNonce

# Rows written before expiry times were kept: a day is longer than any platform's id_token.
UNDATED_AFTER = timedelta(days=1)
# A platform's clock a little ahead of ours must not make a live token's row go.
MARGIN = timedelta(minutes=5)


class Command(BaseCommand):
    help = (
        "Deletes the used-nonce rows of id_tokens that have expired: such a token is refused "
        "as expired, so its row no longer needs to stop a replay. Run it daily from cron."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        deleted, _ = UsedNonce.objects.filter(
            Q(expires_at__lt=now - MARGIN)
            | Q(expires_at__isnull=True, used_at__lt=now - UNDATED_AFTER)
        ).delete()
        self.stdout.write(f"{deleted} expired nonces deleted.")
