from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.models import (
    District,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Role,
)
from accounts.services import register_organisation, verify_organisation
from cms.setup import EDITORS, REVIEWERS, ensure_site_tree, ensure_workflow
from courses.package.services import import_packages
from courses.quiz.banks import BankImportError, import_bank_folder

DEMO_PASSWORD = "quality-demo-2026"
DEMO_ACCOUNTS = [
    # username, real name, what they can do, group, superuser
    ("admin", "平台管理员", "administrator (Wagtail admin)", None, True),
    ("editor", "李玥", "content editor: drafts and submits for review", EDITORS, False),
    ("reviewer", "王喆", "content reviewer: approves and publishes", REVIEWERS, False),
    ("manager", "陈堃", "training manager of 上海示范精密机械有限公司", None, False),
    ("teacher", "周昇", "teacher at 上海市示范中学", None, False),
    ("learner", "张三", "learner, staff of the demo enterprise", None, False),
]
DEMO_ORGANISATIONS = {
    "manager": dict(
        kind=OrganisationKind.ENTERPRISE,
        name="上海示范精密机械有限公司",
        credit_code="91310115MA1K3Q8T26",
        district=District.PUDONG,
        industry="C",
        size=OrganisationSize.SMALL,
    ),
    "teacher": dict(
        kind=OrganisationKind.SCHOOL,
        name="上海市示范中学",
        credit_code="12310104425012345B",
        district=District.XUHUI,
    ),
}


class Command(BaseCommand):
    help = (
        "Prepare the database: migrate, build the page tree and the review workflow. "
        "With --demo also load the demo catalog from content/ and create demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="load demo courses and accounts")

    def handle(self, *args, demo=False, **options):
        if demo and not settings.BOOTSTRAP_DEMO_ALLOWED:
            raise CommandError(
                "--demo is refused with these settings: it creates accounts (an administrator "
                f"among them) whose password, {DEMO_PASSWORD!r}, is published. Run bootstrap "
                "without --demo; import the catalog with `manage.py import_course content/courses`."
            )
        call_command("migrate", interactive=False, verbosity=0)
        home = ensure_site_tree()
        ensure_workflow(home)
        self.stdout.write("Site tree and review workflow are in place.")
        if not demo:
            return
        # Banks first: a package's draw: names its bank.
        try:
            banks = import_bank_folder(settings.BASE_DIR / "content" / "banks")
        except BankImportError as exc:
            raise CommandError(f"content/banks/{exc}. Nothing was imported.") from exc
        self.stdout.write(
            "Question banks: "
            + (", ".join(f"{slug} {sum(n)} questions" for slug, n in banks.items()) or "none")
        )
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
        self.stdout.write(
            "\nDemo accounts (development only): sign in with the username or the e-mail "
            f"<username>@example.com, password {DEMO_PASSWORD}"
        )
        people = {}
        for username, real_name, role, group, superuser in DEMO_ACCOUNTS:
            email = f"{username}@example.com"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": email,
                    "real_name": real_name,
                    "is_staff": superuser or bool(group),
                    "is_superuser": superuser,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
            if group:
                user.groups.add(Group.objects.get(name=group))
            people[username] = user
            self.stdout.write(f"  {username:9} {role}")
        for username, facts in DEMO_ORGANISATIONS.items():
            organisation = Organisation.objects.filter(credit_code=facts["credit_code"]).first()
            if organisation is None:
                organisation = register_organisation(people[username], **facts)
            if not organisation.is_verified:
                # The demo organisations stand for real ones an administrator has checked.
                verify_organisation(organisation, by=people.get("admin"))
            if username == "teacher":
                Membership.objects.filter(user=people[username], organisation=organisation).update(
                    role=Role.TEACHER
                )
            else:
                Membership.objects.get_or_create(
                    user=people["learner"],
                    organisation=organisation,
                    defaults={"department": "装配车间"},
                )
        self.stdout.write(
            "Open http://127.0.0.1:8000/ (site) and http://127.0.0.1:8000/admin/ (admin)."
        )
