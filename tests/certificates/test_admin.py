import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateExport, CertificateStatus
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("certadmin", is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def certificate(db, tmp_path):
    finish(make_user(real_name="张三"), lessons_course(tmp_path))
    return Certificate.objects.get()


def test_administrators_find_revoke_and_see_the_history(admin_client, certificate):
    listing = admin_client.get(reverse("certificates_admin:index"), {"q": "张三"})
    assert certificate.number in listing.content.decode()
    response = admin_client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": "冒名顶替"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED
    page = admin_client.get(reverse("certificates_admin:detail", args=[certificate.pk]))
    text = page.content.decode()
    assert "冒名顶替" in text and "certadmin" in text


def test_revoking_without_a_reason_changes_nothing(admin_client, certificate):
    admin_client.post(reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": ""})
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_reissue_after_correcting_the_name(admin_client, certificate):
    certificate.user.real_name = "张叁"
    certificate.user.save()
    response = admin_client.post(
        reverse("certificates_admin:reissue", args=[certificate.pk]), {"note": "身份证姓名为张叁"}
    )
    new = Certificate.objects.get(replaces=certificate)
    assert response["Location"] == reverse("certificates_admin:detail", args=[new.pk])
    assert new.holder_name == "张叁"
    old_page = admin_client.get(reverse("certificates_admin:detail", args=[certificate.pk]))
    assert new.number in old_page.content.decode()


def test_an_export_of_everything_from_the_admin(
    admin_client, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("certificates_admin:export"), {})
    export = CertificateExport.objects.get()
    assert response["Location"] == reverse("certificate_export", args=[export.pk])
    assert export.total == 1


@pytest.mark.parametrize("name", ["index", "export"])
def test_people_without_the_permission_are_refused(client, certificate, name):
    client.force_login(make_user("staffer", is_staff=True))
    assert client.get(reverse(f"certificates_admin:{name}")).status_code in (302, 403)
    response = client.post(
        reverse("certificates_admin:revoke", args=[certificate.pk]), {"reason": "x"}
    )
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.VALID


def test_unknown_ids_are_404(admin_client, db):
    assert admin_client.get(reverse("certificates_admin:detail", args=[999999])).status_code == 404
