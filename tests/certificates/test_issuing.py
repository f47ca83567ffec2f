import io
import shutil

import pytest
from PIL import Image
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate, CertificateStatus, EventAction
from tests.accounts.factories import make_user
from tests.certificates.helpers import finish, lessons_course, pdf_to_png

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed"
)


def pdf_text(certificate):
    with certificate.pdf.open("rb") as handle:
        data = handle.read()
    reader = PdfReader(io.BytesIO(data))
    return reader, "".join(page.extract_text() for page in reader.pages), data


@pytest.mark.django_db
def test_completing_a_course_issues_one_certificate_with_the_printed_facts(tmp_path):
    course = lessons_course(tmp_path)
    learner = make_user(real_name="李玥")
    enrolment = finish(learner, course)

    certificate = Certificate.objects.get(user=learner)
    assert certificate.enrolment == enrolment
    assert certificate.number.startswith("QA")
    assert len(certificate.code) == 32  # 160 bits in base32
    reader, text, data = pdf_text(certificate)
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width) / 72 * 25.4) == 297  # A4
    for printed in ("李玥", "企业计量管理实务", "结业证书", certificate.number, "1 学时"):
        assert printed in text
    assert f"/certificates/verify/{certificate.code}/" in text.replace("\n", "")
    assert len(data) <= 100_000
    assert services.documents.sha256(data) == certificate.pdf_sha256
    assert [e.action for e in certificate.events.all()] == [EventAction.ISSUED]


@pytest.mark.django_db
def test_the_font_is_the_shipped_one_embedded_as_a_subset(tmp_path):
    finish(make_user(real_name="王喆"), lessons_course(tmp_path))
    reader, _text, _data = pdf_text(Certificate.objects.get())
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    cjk = [font for font in fonts if "WenQuanYi" in font["/BaseFont"]]
    assert cjk, [font["/BaseFont"] for font in fonts]
    for font in cjk:
        # Embedded (the glyphs travel in the file), as a subset (a six-letter tag and "+").
        assert "/FontFile2" in font["/FontDescriptor"]
        assert font["/BaseFont"][7] == "+"


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["赵堃", "王喆", "陈昇", "李玥", "欧阳堃喆昇玥"])
def test_rare_characters_in_names_are_printed(tmp_path, name):
    finish(make_user(real_name=name), lessons_course(tmp_path))
    _reader, text, _data = pdf_text(Certificate.objects.get())
    assert name in text


@pytest.mark.django_db
def test_markup_in_a_name_is_printed_as_text(tmp_path):
    finish(make_user(real_name="<b>张三</b>"), lessons_course(tmp_path))
    _reader, text, _data = pdf_text(Certificate.objects.get())
    assert "<b>张三</b>" in text


def blank_margins(png, strip):
    """True when nothing is drawn in the page margins outside the frame."""
    image = Image.open(png).convert("L")
    width, height = image.size
    boxes = [(0, 0, strip, height), (width - strip, 0, width, height)]
    boxes += [(0, 0, width, strip), (0, height - strip, width, height)]
    return all(image.crop(box).getextrema()[0] > 235 for box in boxes)


@needs_poppler
@pytest.mark.django_db
def test_long_names_and_titles_and_missing_glyphs_stay_inside_the_frame(tmp_path):
    # Chinese has no spaces to break at: without CJK wrapping this title runs off the page.
    long_title = "小微企业质量管理体系建设与计量、标准化、认证认可、检验检测综合实务" * 3
    course = lessons_course(tmp_path, title=long_title[:250])
    finish(make_user(real_name="阿卜杜拉·艾力·买买提明·司马义·吐尔逊𠮷"), course)
    reader, text, data = pdf_text(Certificate.objects.get())
    assert len(reader.pages) == 1
    assert "阿卜杜拉" in text and "小微企业质量管理体系" in text
    # 9 mm margins at 60 dpi are 21 px; the frame is drawn just inside them.
    assert blank_margins(pdf_to_png(data, tmp_path), strip=16)


@pytest.mark.django_db
def test_issuing_again_returns_the_same_certificate(tmp_path):
    enrolment = finish(make_user(), lessons_course(tmp_path))
    first = Certificate.objects.get()
    assert services.issue_for(enrolment) == first
    assert services.issue_for(enrolment) == first
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_a_course_without_certificates_issues_none(tmp_path):
    finish(make_user(), lessons_course(tmp_path, certificate=False))
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_validity_period_sets_the_expiry_and_expired_certificates_say_so(tmp_path):
    course = lessons_course(tmp_path)
    course.certificate_validity_years = 3
    course.save_revision().publish()
    finish(make_user(), course)
    certificate = Certificate.objects.get()
    assert certificate.expires_on.year == certificate.completed_on.year + 3
    assert certificate.state == "valid"
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=certificate.completed_on.replace(year=certificate.completed_on.year - 1)
    )
    certificate.refresh_from_db()
    assert certificate.state == "expired"


@pytest.mark.django_db
def test_revoking_needs_a_reason_and_records_who(tmp_path):
    finish(make_user(), lessons_course(tmp_path))
    certificate = Certificate.objects.get()
    admin = make_user("admin-r", is_superuser=True, is_staff=True)
    with pytest.raises(services.CertificateError):
        services.revoke(certificate, "  ", actor=admin)
    services.revoke(certificate, "培训记录造假", actor=admin)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.REVOKED and certificate.revoked_at
    event = certificate.events.last()
    assert (event.action, event.actor, event.note) == (EventAction.REVOKED, admin, "培训记录造假")
    with pytest.raises(services.CertificateError):
        services.revoke(certificate, "again")


@pytest.mark.django_db
def test_reissue_after_a_name_correction_prints_the_new_name_and_links_the_old(tmp_path):
    learner = make_user(real_name="张三")
    finish(learner, lessons_course(tmp_path))
    old = Certificate.objects.get()
    learner.real_name = "张叁"
    learner.save()
    new = services.reissue(old, note="姓名更正")
    old.refresh_from_db()
    assert old.status == CertificateStatus.REPLACED and old.replacement == new
    assert new.holder_name == "张叁" and new.number != old.number
    _reader, text, _data = pdf_text(new)
    assert "张叁" in text
    assert Certificate.objects.current().get() == new
    with pytest.raises(services.CertificateError):
        services.reissue(old)


@needs_poppler
@pytest.mark.django_db
def test_the_rendered_page_has_ink_inside_the_frame(tmp_path):
    finish(make_user(real_name="赵堃"), lessons_course(tmp_path))
    _reader, _text, data = pdf_text(Certificate.objects.get())
    png = pdf_to_png(data, tmp_path)
    image = Image.open(png).convert("L")
    width, height = image.size
    assert width > height
    # The text is dark on white: no black boxes (a missing font fills glyph boxes solid).
    dark = sum(1 for pixel in image.get_flattened_data() if pixel < 100) / (width * height)
    assert 0.005 < dark < 0.2


@pytest.mark.django_db
def test_the_seal_and_issuer_from_site_settings_are_printed(tmp_path):
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image as WagtailImage
    from wagtail.models import Site

    from cms.models import Branding

    seal_png = tmp_path / "seal.png"
    Image.new("RGBA", (300, 300), (200, 30, 30, 255)).save(seal_png)
    with seal_png.open("rb") as handle:
        seal = WagtailImage.objects.create(
            title="培训专用章", file=ImageFile(handle, name="seal.png")
        )
    branding = Branding.for_site(Site.objects.get(is_default_site=True))
    branding.issuer_name = "上海市质量协会"
    branding.seal = seal
    branding.save()

    finish(make_user(real_name="李玥"), lessons_course(tmp_path))
    reader, text, data = pdf_text(Certificate.objects.get())
    assert "上海市质量协会" in text
    images = reader.pages[0].images
    assert len(images) == 2  # the QR code and the seal
    assert len(data) <= 100_000


@pytest.mark.django_db
def test_a_rendering_failure_keeps_the_completion_and_the_command_issues_later(
    tmp_path, monkeypatch
):
    from django.core.management import call_command

    from certificates import documents
    from serving.pdf import PDFRenderError

    def broken(*args, **kwargs):
        raise PDFRenderError("font missing")

    monkeypatch.setattr(documents, "render_pdf", broken)
    enrolment = finish(make_user(), lessons_course(tmp_path))
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None and enrolment.progress == 100
    assert not Certificate.objects.exists()

    monkeypatch.undo()
    call_command("issue_certificates")
    assert Certificate.objects.get().enrolment == enrolment
    call_command("issue_certificates")
    assert Certificate.objects.count() == 1
