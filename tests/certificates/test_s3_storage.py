"""Certificates and media in S3-compatible buckets, against moto's S3 server over HTTP."""

import io
import zipfile

import pytest
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certificates import services
from certificates.documents import sha256
from certificates.models import Certificate, CertificateExport, ExportStatus
from tests.accounts.factories import add_member, make_organisation, make_user
from tests.certificates.helpers import finish, lessons_course
from tests.s3 import keys, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(s3_storages, tmp_path):
    learner = make_user(real_name="李玥")
    finish(learner, lessons_course(tmp_path))
    return learner, Certificate.objects.get(user=learner)


def test_an_issued_certificate_is_a_private_object_of_the_private_bucket(s3_storages, issued):
    _learner, certificate = issued
    s3 = s3_storages
    key = f"certificates/{certificate.pdf.name}"
    assert keys(s3.client, s3.private) == [key]
    assert keys(s3.client, s3.media) == []
    data = read(s3.client, s3.private, key)
    assert data.startswith(b"%PDF") and sha256(data) == certificate.pdf_sha256
    assert "李玥" in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    grants = s3.client.get_object_acl(Bucket=s3.private, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    # Should a link ever be made, it is signed and short-lived, never a public address.
    assert "X-Amz-Signature=" in certificate.pdf.url
    assert "X-Amz-Expires=300" in certificate.pdf.url


def test_the_holder_downloads_the_pdf_from_the_bucket_and_others_get_404(
    client, s3_storages, issued
):
    learner, certificate = issued
    client.force_login(learner)
    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and sha256(body) == certificate.pdf_sha256

    client.force_login(make_user())
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404


def test_a_reissue_keeps_both_pdfs_and_an_erased_holder_leaves_none(s3_storages, issued):
    learner, certificate = issued
    new = services.reissue(certificate)
    assert sorted(keys(s3_storages.client, s3_storages.private)) == sorted(
        f"certificates/{c.pdf.name}" for c in (certificate, new)
    )
    services.anonymise_for(learner)
    assert keys(s3_storages.client, s3_storages.private) == []


def test_a_managers_zip_export_is_built_from_and_kept_in_the_private_bucket(
    client, s3_storages, tmp_path, django_capture_on_commit_callbacks
):
    manager = make_user("manager-s3")
    organisation = make_organisation(manager=manager)
    learner = add_member(organisation, make_user(real_name="学员甲")).user
    finish(learner, lessons_course(tmp_path))
    certificate = Certificate.objects.get(user=learner)

    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("organisation_certificates"), {})
    export = CertificateExport.objects.get(requested_by=manager)
    assert export.status == ExportStatus.DONE
    assert f"certificates/{export.file.name}" in keys(s3_storages.client, s3_storages.private)

    response = client.get(reverse("certificate_export_download", args=[export.pk]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{certificate.number}-学员甲.pdf"]
    assert sha256(archive.read(archive.namelist()[0])) == certificate.pdf_sha256

    client.force_login(make_user())
    assert client.get(reverse("certificate_export_download", args=[export.pk])).status_code == 404


def seal_in_media_bucket(tmp_path):
    from wagtail.images.models import Image as WagtailImage

    seal_png = tmp_path / "seal.png"
    Image.new("RGBA", (300, 300), (200, 30, 30, 255)).save(seal_png)
    with seal_png.open("rb") as handle:
        return WagtailImage.objects.create(title="培训专用章", file=ImageFile(handle, "seal.png"))


def test_a_seal_stored_in_the_media_bucket_is_printed(s3_storages, tmp_path):
    from wagtail.models import Site

    from cms.models import Branding

    seal = seal_in_media_bucket(tmp_path)
    assert f"media/{seal.file.name}" in keys(s3_storages.client, s3_storages.media)
    branding = Branding.for_site(Site.objects.get(is_default_site=True))
    branding.issuer_name = "上海市质量协会"
    branding.seal = seal
    branding.save()

    finish(make_user(real_name="李玥"), lessons_course(tmp_path))
    certificate = Certificate.objects.get()
    with certificate.pdf.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    assert "上海市质量协会" in reader.pages[0].extract_text()
    assert len(reader.pages[0].images) == 2  # the QR code and the seal


def test_pdf_templates_reach_media_files_in_the_bucket_and_nothing_beside_them(
    s3_storages, tmp_path, settings
):
    from serving.pdf import PDFRenderError, link_callback

    seal = seal_in_media_bucket(tmp_path)
    uri = link_callback(settings.MEDIA_URL + seal.file.name, None)
    assert uri.startswith("data:image/png;base64,")
    for outside in ("../certificates/x.pdf", "original_images/missing.png"):
        with pytest.raises(PDFRenderError):
            link_callback(settings.MEDIA_URL + outside, None)
