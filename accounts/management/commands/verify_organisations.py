from datetime import date, datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Organisation
from accounts.services import verify_organisation


class Command(BaseCommand):
    help = (
        "Verify pending organisations an administrator has checked (exists, credit code in the "
        "national register, the person who registered it acts for it): by credit code, or all "
        "registered before a date (the organisations already in use when verification began). "
        "Lists only, unless --commit is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("credit_codes", nargs="*", metavar="CREDIT_CODE")
        parser.add_argument(
            "--registered-before", metavar="YYYY-MM-DD", help="every pending one older than this"
        )
        parser.add_argument("--commit", action="store_true", help="verify them")

    def handle(self, *args, credit_codes, registered_before=None, commit=False, **options):
        if not credit_codes and not registered_before:
            raise CommandError("Give credit codes or --registered-before.")
        pending = Organisation.objects.pending()
        chosen = pending.none()
        if credit_codes:
            chosen = pending.filter(credit_code__in=[c.strip().upper() for c in credit_codes])
            unknown = set(credit_codes) - set(chosen.values_list("credit_code", flat=True))
            for code in sorted(unknown):
                self.stderr.write(f"not a pending organisation: {code}")
        if registered_before:
            try:
                day = date.fromisoformat(registered_before)
            except ValueError as exc:
                raise CommandError(f"not a date: {registered_before}") from exc
            before = timezone.make_aware(datetime.combine(day, time.min))
            chosen = chosen | pending.filter(created_at__lt=before)
        chosen = list(chosen.order_by("created_at"))
        for organisation in chosen:
            self.stdout.write(f"{organisation.credit_code or '-':18}  {organisation.name}")
            if commit:
                verify_organisation(organisation, by=None)
        verb = "verified" if commit else "to verify (run again with --commit)"
        self.stdout.write(f"{len(chosen)} {verb}")
