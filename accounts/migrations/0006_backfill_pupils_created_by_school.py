"""Record which school created each existing pupil account, conservatively.

Before this, nothing recorded who created an account, so the rule that lets a school reset
or delete an account (``MembershipQuerySet.controlled_by``) needs the creator filled in for
the pupils schools made before. An account counts as made by a school only when all of
these hold, which only ``accounts.services.create_pupils`` produces:

- no e-mail address on the account and none added through allauth, no social login;
- not staff, not a superuser;
- exactly one membership, a learner membership in a school;
- its username is that school's pupil username for the membership's pupil number
  (``p<school id>-<number>``), which sign-up never gives (people sign up by e-mail and get
  a random ``u…`` username; imported staff get one too).

Whether the pupil has since changed their password or signed in does not matter: a pupil
who forgot the password they chose is exactly who the reset is for. Anyone in doubt is left
out; the school can no longer reset them, which is the safe side.
"""

from django.db import migrations
from django.db.models import Count, Q


def backfill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Membership = apps.get_model("accounts", "Membership")
    EmailAddress = apps.get_model("account", "EmailAddress")
    SocialAccount = apps.get_model("socialaccount", "SocialAccount")
    candidates = (
        User.objects.filter(email="", is_staff=False, is_superuser=False)
        .exclude(pk__in=EmailAddress.objects.values("user_id"))
        .exclude(pk__in=SocialAccount.objects.values("user_id"))
        .annotate(n=Count("memberships"))
        .filter(n=1)
        .values_list("pk", flat=True)
    )
    memberships = Membership.objects.filter(
        Q(user_id__in=list(candidates)),
        role="learner",
        organisation__kind="school",
    ).exclude(staff_number="")
    for membership in memberships.select_related("user").iterator():
        expected = f"p{membership.organisation_id}-{membership.staff_number.lower()}"
        if membership.user.username == expected:
            User.objects.filter(pk=membership.user_id).update(
                created_by_organisation_id=membership.organisation_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_organisation_verification_and_pupil_creator"),
        ("account", "0001_initial"),
        ("socialaccount", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
