from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import (
    District,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    VerificationStatus,
)
from accounts.validators import credit_code_check_character

PASSWORD = "correct-horse-battery"
_counter = iter(range(10_000, 99_999))


def credit_code(seed=None):
    body = f"913101{seed if seed is not None else next(_counter):05d}MA1K3Q"[:17]
    return body + credit_code_check_character(body)


def make_user(username=None, *, real_name="张三", email=None, password=PASSWORD, **extra):
    username = username or f"user{next(_counter)}"
    email = email if email is not None else f"{username}@example.com"
    user = User.objects.create_user(
        username=username, email=email, password=password, real_name=real_name, **extra
    )
    if email:
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def make_organisation(
    *, kind=OrganisationKind.ENTERPRISE, name=None, manager=None, verified=True, **extra
):
    """An organisation; verified by an administrator unless ``verified=False`` (pending)."""
    seed = next(_counter)
    enterprise = kind == OrganisationKind.ENTERPRISE
    defaults = {
        "district": District.PUDONG,
        "credit_code": credit_code(seed),
        "industry": "C" if enterprise else "",
        "size": "small" if enterprise else "",
    }
    if verified:
        defaults.update(verification=VerificationStatus.VERIFIED, verified_at=timezone.now())
    organisation = Organisation.objects.create(
        kind=kind, name=name or f"测试企业{seed}", **{**defaults, **extra}
    )
    if manager is not None:
        Membership.objects.create(user=manager, organisation=organisation, role=Role.MANAGER)
    return organisation


def add_member(organisation, user=None, role=Role.LEARNER, **extra):
    user = user or make_user()
    return Membership.objects.create(user=user, organisation=organisation, role=role, **extra)
