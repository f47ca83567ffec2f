import io
import re

import pytest
from pypdf import PdfReader

from certificates import services
from certificates.models import Certificate
from tests.accounts.factories import make_user
from tests.certificates.helpers import lessons_course
from tests.e2e.test_account_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_complete_download_verify_then_see_it_revoked(site, phone, tmp_path, settings):
    settings.WAGTAILADMIN_BASE_URL = site  # the URL printed on the PDF is this server's
    course = lessons_course(tmp_path, slug="cert-journey", title="小微企业计量管理入门")
    make_user("holder1", real_name="王喆")
    page = phone
    sign_in(page, site, "holder1")
    page.goto(site + course.url)
    page.get_by_role("button", name="免费报名").click()
    for _ in range(2):
        page.get_by_role("button", name="标记为已学完").click()
        page.wait_for_load_state()
        if page.locator(".lesson-nav .next").count():
            page.locator(".lesson-nav .next").click()

    page.goto(site + "/dashboard/")
    section = page.locator("section[aria-labelledby='cert-heading']")
    assert "小微企业计量管理入门" in section.inner_text()
    with page.expect_download() as download_info:
        section.get_by_role("link", name="下载 PDF").click()
    pdf_path = tmp_path / "downloaded.pdf"
    download_info.value.save_as(pdf_path)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    certificate = Certificate.objects.get(user__username="holder1")
    assert "王喆" in text and "小微企业计量管理入门" in text and certificate.number in text

    printed_url = re.search(
        r"https?://\S+/certificates/verify/[A-Z2-7]{32}/", text.replace("\n", "")
    )
    assert printed_url, text
    visitor = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    public = visitor.new_page()  # someone who was handed the PDF, not signed in
    public.goto(printed_url.group(0))
    assert public.locator(".verdict h2").inner_text() == "有效证书"
    assert "王*" in public.locator(".record").inner_text()
    assert "王喆" not in public.locator(".record").inner_text()

    public.locator("#pdf-check").set_input_files(str(pdf_path))
    public.wait_for_function("() => document.getElementById('pdf-check-result').textContent")
    assert "未经改动" in public.locator("#pdf-check-result").inner_text()
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(pdf_path.read_bytes().replace(b"/Producer", b"/Pr0ducer"))
    public.locator("#pdf-check").set_input_files(str(altered))
    public.wait_for_function(
        "() => document.getElementById('pdf-check-result').className.includes('fail')"
    )

    public.get_by_label("持证人全名").fill("王喆")
    public.get_by_role("button", name="核对姓名").click()
    assert "王喆" in public.locator(".record").inner_text()

    services.revoke(certificate, "培训记录经核查不实")
    public.goto(printed_url.group(0))
    assert public.locator(".verdict h2").inner_text() == "已撤销的证书"
    assert "培训记录经核查不实" in public.locator(".verdict").inner_text()
    visitor.close()
