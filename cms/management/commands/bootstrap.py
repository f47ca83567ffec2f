from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from cms.setup import EDITORS, REVIEWERS, ensure_site_tree, ensure_workflow
from courses.package.services import import_packages

DEMO_PASSWORD = "quality-demo-2026"
DEMO_ACCOUNTS = [
    # username, role shown to the person running the demo, group, superuser
    ("admin", "administrator (Wagtail admin)", None, True),
    ("editor", "content editor: drafts and submits for review", EDITORS, False),
    ("reviewer", "content reviewer: approves and publishes", REVIEWERS, False),
    ("learner", "learner", None, False),
]


class Command(BaseCommand):
    help = (
        "Prepare the database: migrate, build the page tree and the review workflow. "
        "With --demo also load the demo catalog from content/ and create demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="load demo courses and accounts")

    def handle(self, *args, demo=False, **options):
        call_command("migrate", interactive=False, verbosity=0)
        home = ensure_site_tree()
        ensure_workflow(home)
        self.stdout.write("Site tree and review workflow are in place.")
        if not demo:
            return
        results = import_packages([settings.BASE_DIR / "content" / "courses"])
        counts = {}
        for result in results:
            counts[result.status] = counts.get(result.status, 0) + 1
        self.stdout.write(
            "Demo catalog: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        )
        self._demo_accounts()

    def _demo_accounts(self):
        User = get_user_model()
        self.stdout.write("\nDemo accounts (development only), password for all: " + DEMO_PASSWORD)
        for username, role, group, superuser in DEMO_ACCOUNTS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@example.com",
                    "is_staff": superuser or bool(group),
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"  {username:9} {role}")
        self.stdout.write(
            "Open http://127.0.0.1:8000/ (site) and http://127.0.0.1:8000/admin/ (admin)."
        )
