import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts import signals
from accounts.imports import OrganisationImport
from accounts.models import Organisation
from tests.accounts.factories import add_member, make_organisation, make_user

pytestmark = pytest.mark.django_db

GOOD = "91350100M000100Y43"
ALSO_GOOD = "91110000600037341L"


def report_for(text):
    return OrganisationImport().check("orgs.csv", text.encode("utf-8"))


def test_organisation_file_with_a_bad_credit_code_is_refused_row_by_row():
    report = report_for(
        "名称,统一社会信用代码,类型,所在区,行业,规模\n"
        f"上海甲公司,{GOOD},企业,浦东新区,制造业,小型\n"
        "上海乙公司,91350100M000100Y44,企业,闵行区,C,micro\n"
        f"上海丙公司,{GOOD},企业,徐汇区,C,small\n"
        f"上海丁公司,{ALSO_GOOD},企业,火星区,C,small\n"
    )
    errors = {row.line: " ".join(row.errors) for row in report.error_rows}
    assert set(errors) == {3, 4, 5}
    assert "校验码不符" in errors[3]
    assert "与第 2 行" in errors[4]
    assert "火星区" in errors[5]
    assert report.rows[0].values["district"] == "310115"
    assert report.rows[0].values["industry"] == "C"
    assert not Organisation.objects.exists()


def test_import_command_checks_then_commits_once(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(
        "name,credit code,kind,district,industry,size\n"
        f"Huangpu Tools,{GOOD},enterprise,Huangpu District,Manufacturing,micro\n"
        f"上海市某中学,{ALSO_GOOD},学校,长宁区,,\n",
        encoding="utf-8",
    )
    call_command("import_organisations", str(path))
    assert not Organisation.objects.exists()
    call_command("import_organisations", str(path), "--commit")
    call_command("import_organisations", str(path), "--commit")
    assert Organisation.objects.count() == 2
    school = Organisation.objects.get(credit_code=ALSO_GOOD)
    assert (school.kind, school.district) == ("school", "310105")


def test_import_command_fails_loudly_on_errors(tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text("名称,统一社会信用代码,所在区\n坏公司,123,浦东新区\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_organisations", str(path), "--commit")
    assert not Organisation.objects.exists()


def test_administrators_see_organisations_and_memberships_in_the_admin(client, catalog):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x" * 12)
    organisation = make_organisation(name="上海示范厂")
    add_member(organisation, make_user(real_name="王喆"))
    client.force_login(admin)
    listing = client.get("/admin/organisation/")
    assert listing.status_code == 200 and "上海示范厂" in listing.content.decode()
    members = client.get("/admin/membership/")
    assert members.status_code == 200 and "王喆" in members.content.decode()
    assert client.get(f"/admin/organisation/edit/{organisation.pk}/").status_code == 200


def test_learners_cannot_open_the_admin(client, catalog):
    client.force_login(make_user())
    assert client.get("/admin/organisation/").status_code == 302


def test_deletion_tells_record_owners_before_the_user_goes(client):
    me = make_user()
    seen = []

    def receiver(sender, user, **kwargs):
        seen.append(get_user_model().objects.filter(pk=user.pk).exists())

    signals.account_deleting.connect(receiver)
    try:
        from accounts.services import delete_account

        delete_account(me)
    finally:
        signals.account_deleting.disconnect(receiver)
    assert seen == [True]
    assert not get_user_model().objects.filter(pk=me.pk).exists()
