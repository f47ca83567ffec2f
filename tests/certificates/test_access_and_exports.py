import io
import zipfile

import pytest
from django.urls import reverse

from accounts import services as account_services
from accounts.models import OrganisationKind, Role
from certificates.models import Certificate, CertificateExport, CertificateStatus, ExportStatus
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course


@pytest.fixture
def two_enterprises(db, tmp_path):
    """Two enterprises, each with a manager and a learner holding a certificate."""
    course = lessons_course(tmp_path)
    sides = []
    for name in ("甲", "乙"):
        manager = make_user(f"manager-{name}", real_name=f"经理{name}")
        organisation = make_organisation(manager=manager)
        learner = add_member(organisation, make_user(real_name=f"学员{name}")).user
        finish(learner, course)
        sides.append((manager, learner, Certificate.objects.get(user=learner)))
    return sides


def download(client, user, certificate, kind="certificate_pdf"):
    client.force_login(user)
    return client.get(reverse(kind, args=[certificate.pk]))


@pytest.mark.parametrize("kind", ["certificate_pdf", "certificate_credential"])
def test_holder_and_their_manager_download_others_get_404(client, two_enterprises, kind):
    (manager_a, learner_a, cert_a), (manager_b, learner_b, _cert_b) = two_enterprises
    assert download(client, learner_a, cert_a, kind).status_code == 200
    assert download(client, manager_a, cert_a, kind).status_code == 200
    assert download(client, learner_b, cert_a, kind).status_code == 404
    assert download(client, manager_b, cert_a, kind).status_code == 404
    assert download(client, make_user(), cert_a, kind).status_code == 404


def test_the_pdf_download_is_the_issued_file(client, two_enterprises):
    _manager, learner, certificate = two_enterprises[0]
    response = download(client, learner, certificate)
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    from certificates.documents import sha256

    assert sha256(body) == certificate.pdf_sha256


def test_a_pdf_lost_by_the_storage_is_404_and_logged_not_500(client, two_enterprises, caplog):
    _manager, learner, certificate = two_enterprises[0]
    certificate.pdf.storage.delete(certificate.pdf.name)
    client.raise_request_exception = False
    with caplog.at_level("ERROR", logger="certificates.views"):
        response = download(client, learner, certificate)
    assert response.status_code == 404
    assert certificate.number in caplog.text and "missing" in caplog.text


def test_anonymous_visitors_are_sent_to_sign_in(client, two_enterprises):
    response = client.get(reverse("certificate_pdf", args=[two_enterprises[0][2].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_teacher_downloads_their_pupils_certificates_not_other_schools(client, tmp_path, db):
    course = lessons_course(tmp_path)
    schools = []
    for name in ("一中", "二中"):
        school = make_organisation(kind=OrganisationKind.SCHOOL, name=f"上海市第{name}")
        teacher = add_member(school, role=Role.TEACHER).user
        pupil = add_member(school, make_user(real_name=f"学生{name}")).user
        finish(pupil, course)
        schools.append((teacher, Certificate.objects.get(user=pupil)))
    (teacher_1, cert_1), (_teacher_2, cert_2) = schools
    assert download(client, teacher_1, cert_1).status_code == 200
    assert download(client, teacher_1, cert_2).status_code == 404


def test_administrators_download_any(client, two_enterprises):
    admin = make_user("root", is_superuser=True, is_staff=True)
    assert download(client, admin, two_enterprises[1][2]).status_code == 200


def test_the_dashboard_lists_the_learners_certificates(client, two_enterprises):
    _manager, learner, certificate = two_enterprises[0]
    client.force_login(learner)
    page = client.get(reverse("dashboard")).content.decode()
    assert certificate.number in page
    assert reverse("certificate_pdf", args=[certificate.pk]) in page
    assert two_enterprises[1][2].number not in page


def test_a_manager_exports_their_organisations_certificates_as_a_zip(
    client, two_enterprises, django_capture_on_commit_callbacks
):
    manager_a, _learner_a, cert_a = two_enterprises[0]
    client.force_login(manager_a)
    page = client.get(reverse("organisation_certificates")).content.decode()
    assert cert_a.number in page and two_enterprises[1][2].number not in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisation_certificates"), {})
    export = CertificateExport.objects.get(requested_by=manager_a)
    assert response["Location"] == reverse("certificate_export", args=[export.pk])
    assert export.status == ExportStatus.DONE and (export.total, export.done) == (1, 1)
    assert "100%" in client.get(response["Location"]).content.decode()
    archive = client.get(reverse("certificate_export_download", args=[export.pk]))
    names = zipfile.ZipFile(io.BytesIO(b"".join(archive.streaming_content))).namelist()
    assert names == [f"{cert_a.number}-学员甲.pdf"]

    manager_b = two_enterprises[1][0]
    client.force_login(manager_b)
    assert client.get(reverse("certificate_export", args=[export.pk])).status_code == 404
    assert client.get(reverse("certificate_export_download", args=[export.pk])).status_code == 404


def test_an_export_the_storage_refuses_says_it_failed(
    client, two_enterprises, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(*args, **kwargs):
        raise RuntimeError("AccessDenied")  # what a bucket's client raises is no OSError

    monkeypatch.setattr(CertificateExport.file.field.storage, "save", refuse)
    client.force_login(two_enterprises[0][0])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisation_certificates"), {})
    export = CertificateExport.objects.get()
    assert export.status == ExportStatus.FAILED and export.finished_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "ZIP 生成失败" in page


def test_an_export_with_dates_in_the_wrong_order_is_refused(client, two_enterprises):
    client.force_login(two_enterprises[0][0])
    response = client.post(
        reverse("organisation_certificates"),
        {"issued_from": "2026-12-31", "issued_to": "2026-01-01"},
    )
    assert response.status_code == 200
    assert not CertificateExport.objects.exists()


def test_people_who_manage_nothing_get_404(client, two_enterprises):
    client.force_login(two_enterprises[0][1])
    assert client.get(reverse("organisation_certificates")).status_code == 404


def test_deleting_the_account_revokes_and_erases_the_name(client, two_enterprises):
    _manager, learner, certificate = two_enterprises[0]
    account_services.delete_account(learner)
    certificate.refresh_from_db()
    assert certificate.user is None and certificate.holder_name == ""
    assert certificate.status == CertificateStatus.REVOKED
    assert certificate.number and certificate.pdf_sha256 and not certificate.pdf
    data = client.get(
        reverse("certificate_verify", args=[certificate.code]), {"format": "json"}
    ).json()
    assert data["state"] == "revoked" and data["holder"] == ""


def test_the_personal_data_export_lists_certificates(two_enterprises):
    _manager, learner, certificate = two_enterprises[0]
    data = account_services.personal_data(learner)
    assert data["certificates"][0]["number"] == certificate.number
