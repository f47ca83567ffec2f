"""A registered organisation is pending until an administrator verifies it; pending, it may
invite by code but may not act on people (import, create pupils, reset, answer keys)."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import (
    ImportBatch,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
    VerificationStatus,
)
from accounts.services import create_pupils
from cms.management.commands.bootstrap import Command as BootstrapCommand
from courses.models import QuestionBank
from tests.accounts.factories import credit_code, make_user

pytestmark = pytest.mark.django_db

PENDING_TEXT = "等待平台管理员审核"


@pytest.fixture
def pending_school(client):
    """A school as its self-registered manager leaves it: pending."""
    manager = make_user(real_name="校长")
    client.force_login(manager)
    response = client.post(
        "/org/register/",
        {
            "kind": OrganisationKind.SCHOOL,
            "name": "新学校",
            "credit_code": "",
            "district": "310104",
        },
    )
    assert response.status_code == 302
    school = Organisation.objects.get(name="新学校")
    return manager, school


def test_registration_makes_a_pending_organisation_that_says_so(client, pending_school):
    _, school = pending_school
    assert school.verification == VerificationStatus.PENDING and school.verified_at is None
    html = client.get("/org/").content.decode()
    assert "等待审核" in html and "不能导入员工" in html
    assert school.invite_code in html  # inviting by code is allowed


def test_a_pending_school_may_still_invite_by_code(client, pending_school):
    _, school = pending_school
    newcomer = make_user(real_name="新同学")
    client.force_login(newcomer)
    client.post("/org/join/", {"code": school.invite_code})
    assert Membership.objects.filter(user=newcomer, organisation=school).exists()


def test_a_pending_school_may_not_import_create_reset_or_see_answer_keys(client, pending_school):
    _, school = pending_school
    for kind, text in (
        ("staff", "姓名,邮箱\n某人,a@example.com\n"),
        ("pupils", "姓名,学号\n某,1\n"),
    ):
        response = client.post(
            f"/org/import/{kind}/", {"file": SimpleUploadedFile("x.csv", text.encode())}
        )
        assert response.status_code == 403
        assert PENDING_TEXT in response.content.decode()
    assert not ImportBatch.objects.filter(organisation=school).exists()

    response = client.post("/school/pupils/new/", {"real_name": "王小明", "pupil_number": "1"})
    assert response.status_code == 403 and PENDING_TEXT in response.content.decode()
    assert not User.objects.filter(real_name="王小明").exists()

    # Pupils it somehow has (made before it lost its verification) are out of reach too.
    create_pupils(school, [("李玥", "2")])
    pupil = Membership.objects.select_related("user").get(organisation=school, staff_number="2")
    old_hash = pupil.user.password
    assert client.post(f"/school/pupils/{pupil.pk}/password/").status_code == 403
    assert client.post(f"/school/pupils/{pupil.pk}/delete/").status_code == 403
    pupil.user.refresh_from_db()
    assert pupil.user.password == old_hash

    assert client.get("/school/banks/").status_code == 403
    client.post("/school/banks/", {"name": "题库"})
    assert not QuestionBank.objects.filter(organisation=school).exists()


def test_a_batch_uploaded_before_is_not_applied_while_pending(client, pending_school):
    manager, school = pending_school
    batch = ImportBatch.objects.create(
        organisation=school,
        kind="pupils",
        uploaded_by=manager,
        filename="p.csv",
        content="姓名,学号\n王小明,1\n".encode(),
    )
    assert client.post(f"/org/imports/{batch.pk}/").status_code == 403
    assert not User.objects.filter(real_name="王小明").exists()


def test_the_administrator_verifies_in_the_admin_and_pupil_creation_then_works(
    client, pending_school
):
    manager, school = pending_school
    admin = make_user(real_name="平台管理员", is_staff=True, is_superuser=True)
    client.force_login(admin)
    listing = client.get("/admin/organisation/").content.decode()
    assert f"/admin/organisations/{school.pk}/verify/" in listing
    page = client.get(f"/admin/organisations/{school.pk}/verify/").content.decode()
    assert "全国" in page and "代表该单位" in page  # says what verifying means
    assert client.get("/admin/organisations/999999/verify/").status_code == 404
    client.post(f"/admin/organisations/{school.pk}/verify/")
    school.refresh_from_db()
    assert school.is_verified and school.verified_by == admin and school.verified_at

    client.force_login(manager)
    assert "等待审核" not in client.get("/org/").content.decode()
    response = client.post("/school/pupils/new/", {"real_name": "王小明", "pupil_number": "1"})
    assert response.status_code == 200
    pupil = User.objects.get(real_name="王小明")
    assert pupil.created_by_organisation == school


def test_someone_who_may_not_change_organisations_cannot_verify(client, pending_school):
    _, school = pending_school
    client.force_login(make_user(is_staff=True))
    response = client.post(f"/admin/organisations/{school.pk}/verify/")
    assert response.status_code in (302, 403)
    school.refresh_from_db()
    assert not school.is_verified


def test_a_verified_organisation_has_a_date_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(
            kind=OrganisationKind.SCHOOL,
            name="无日期",
            district="310104",
            verification=VerificationStatus.VERIFIED,
        )


def test_organisations_imported_by_an_administrator_are_verified(tmp_path):
    code = credit_code()
    path = tmp_path / "orgs.csv"
    path.write_text(f"名称,统一社会信用代码,类型,所在区\n某中学,{code},学校,徐汇区\n")
    call_command("import_organisations", str(path), "--commit", stdout=io.StringIO())
    assert Organisation.objects.get(credit_code=code).is_verified


def test_the_demo_organisations_are_verified(catalog):
    BootstrapCommand(stdout=io.StringIO())._demo_accounts()
    demo = Organisation.objects.filter(memberships__role__in=[Role.MANAGER, Role.TEACHER])
    assert demo.count() == 2 and all(o.is_verified for o in demo)


def test_the_command_verifies_chosen_pending_organisations_only_with_commit(pending_school):
    _, school = pending_school
    other = Organisation.objects.create(
        kind=OrganisationKind.ENTERPRISE,
        name="老企业",
        credit_code=credit_code(),
        district="310115",
        industry="C",
        size="small",
    )
    out = io.StringIO()
    call_command("verify_organisations", other.credit_code, stdout=out, stderr=io.StringIO())
    other.refresh_from_db()
    assert "老企业" in out.getvalue() and not other.is_verified

    call_command("verify_organisations", other.credit_code, "--commit", stdout=io.StringIO())
    other.refresh_from_db()
    school.refresh_from_db()
    assert other.is_verified and not school.is_verified

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    call_command(
        "verify_organisations", "--registered-before", tomorrow, "--commit", stdout=io.StringIO()
    )
    school.refresh_from_db()
    assert school.is_verified
    with pytest.raises(CommandError):
        call_command("verify_organisations", stdout=io.StringIO())
