"""Writes that touch accounts and organisations. Views call these; each is one transaction."""

import secrets

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts import signals
from accounts.models import (
    ImportBatch,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    VerificationStatus,
)
from accounts.tables import TableError, read_table
from accounts.validators import normalise_name

PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def initial_password():
    """Ten characters without look-alikes, grouped for reading aloud: ``kx7m-p3qa-w9``."""
    raw = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(10))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


@transaction.atomic
def register_organisation(user, *, kind, name, credit_code, district, industry="", size=""):
    """A new organisation with ``user`` as its manager, pending until an administrator
    verifies it (see ``verify_organisation``); until then it may only invite by code."""
    organisation = Organisation.objects.create(
        kind=kind,
        name=name,
        credit_code=credit_code,
        district=district,
        industry=industry,
        size=size,
    )
    Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": Role.MANAGER}
    )
    return organisation


@transaction.atomic
def verify_organisation(organisation, by):
    """An administrator has checked the organisation (see ``accounts.models.VERIFYING_MEANS``);
    it gains its powers over people. ``by`` is that administrator, or None for a command."""
    organisation.verification = VerificationStatus.VERIFIED
    organisation.verified_at = timezone.now()
    organisation.verified_by = by
    organisation.save(update_fields=["verification", "verified_at", "verified_by"])
    return organisation


@transaction.atomic
def join_organisation(user, code):
    organisation = Organisation.objects.select_for_update().get(invite_code=code, joining_open=True)
    membership, _ = Membership.objects.get_or_create(user=user, organisation=organisation)
    return membership


@transaction.atomic
def update_membership(membership, *, role, department, staff_number):
    membership.role = role
    membership.department = department
    membership.staff_number = staff_number
    membership.save(update_fields=["role", "department", "staff_number", "updated_at"])
    return membership


@transaction.atomic
def remove_member(membership):
    membership.delete()


@transaction.atomic
def renew_invite_code(organisation):
    from accounts.models import new_invite_code

    organisation.invite_code = new_invite_code()
    organisation.save(update_fields=["invite_code"])
    return organisation


def pupil_username(school, number):
    return f"p{school.pk}-{number.lower()}"


@transaction.atomic
def create_pupils(school, rows):
    """Create pupil accounts; ``rows`` are (real_name, pupil_number). Returns credentials.

    Pupils sign in with a username and a one-time password that they must change at once.
    """
    assert school.kind == OrganisationKind.SCHOOL
    created = []
    for real_name, number in rows:
        password = initial_password()
        user = User.objects.create(
            username=pupil_username(school, number),
            real_name=real_name,
            password=make_password(password, hasher="pbkdf2_sha256_initial"),
            must_change_password=True,
            created_by_organisation=school,
        )
        Membership.objects.create(
            user=user, organisation=school, role=Role.LEARNER, staff_number=number
        )
        created.append({"real_name": real_name, "username": user.username, "password": password})
    return created


@transaction.atomic
def reset_pupil_password(membership):
    password = initial_password()
    user = membership.user
    user.password = make_password(password, hasher="pbkdf2_sha256_initial")
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    return password


@transaction.atomic
def create_staff(organisation, rows):
    """Create staff accounts from (real_name, email, department, staff_number) rows.

    They get no password: each receives an e-mail to set one (sent after the commit).
    """
    users = []
    for real_name, email, department, number in rows:
        user = User(username=_free_username(), real_name=real_name, email=email)
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
        Membership.objects.create(
            user=user,
            organisation=organisation,
            role=Role.LEARNER,
            department=department,
            staff_number=number,
        )
        users.append(user)
    ids = [user.pk for user in users]
    transaction.on_commit(lambda: _enqueue_welcome(ids))
    return users


def _enqueue_welcome(user_ids):
    from accounts.tasks import send_welcome_emails

    send_welcome_emails.enqueue(user_ids)


def _free_username():
    return "u" + secrets.token_hex(6)


@transaction.atomic
def delete_account(user):
    """Delete a person and everything that names them, in one transaction (docs/privacy.md).

    Every way of deleting an account goes through here. Accounts' own rules are below; the
    apps built on accounts, which accounts must not import, apply theirs through the
    ``account_deleting`` signal, sent first while every record still points at the person:
    certificates are revoked and their names erased, and the certificate ZIPs that hold the
    person's certificates or that they requested are deleted with their files
    (certificates/receivers.py); the login slips they printed, or that name them, are
    forgotten (classrooms/receivers.py). The user row then takes with it, by cascade, the
    e-mail addresses, memberships, learning records, class places and links to export
    records.
    """
    signals.account_deleting.send(sender=User, user=user)
    forget_import_files(user)
    user.delete()


def forget_import_files(user):
    """Delete the uploaded spreadsheets, not yet applied, that hold the person's data: all
    those they uploaded, and those of their organisations that name them (a cell equal to
    their username, e-mail, real name, or their staff or pupil number there). A file that can
    no longer be read goes as well: it cannot be checked, and it could never be applied."""
    ImportBatch.objects.filter(uploaded_by=user).delete()
    numbers = {
        m.organisation_id: _folded(m.staff_number)
        for m in user.memberships.exclude(staff_number="")
    }
    needles = {_folded(v) for v in (user.username, user.email, user.real_name) if v}
    pending = ImportBatch.objects.filter(
        applied_at__isnull=True, organisation_id__in=user.memberships.values("organisation_id")
    )
    doomed = []
    for batch in pending.iterator():
        mine = needles | (
            {numbers[batch.organisation_id]} if batch.organisation_id in numbers else set()
        )
        try:
            _header, rows = read_table(batch.filename, bytes(batch.content))
        except TableError:
            doomed.append(batch.pk)
            continue
        if any(_folded(cell) in mine for _line, cells in rows for cell in cells):
            doomed.append(batch.pk)
    ImportBatch.objects.filter(pk__in=doomed).delete()


def _folded(value):
    return normalise_name(value).casefold()


def mark_password_changed(user):
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])


def personal_data(user):
    """Everything the platform holds about a person, as JSON-ready data."""
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "real_name": user.real_name,
            "email": user.email,
            "audience": user.audience or None,
            "district": user.district,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "memberships": [
            {
                "organisation": m.organisation.name,
                "kind": m.organisation.kind,
                "role": m.role,
                "department": m.department,
                "staff_number": m.staff_number,
                "joined_at": m.joined_at.isoformat(),
            }
            for m in user.memberships.select_related("organisation")
        ],
    }
    for _receiver, section in signals.personal_data_requested.send(sender=User, user=user):
        if section:
            data.update(section)
    return data
