"""Bulk imports are bounded (rows per file, files per organisation and day) and the welcome
e-mail's subject names the platform, never the organisation's free-text name."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import ImportBatch, User
from tests.accounts.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = make_user(real_name="培训管理员")
    organisation = make_organisation(manager=user, name="【官方通知】请立即点击链接领取补贴")
    client.force_login(user)
    return organisation


def _post(client, text, name="staff.csv"):
    return client.post(
        "/org/import/staff/", {"file": SimpleUploadedFile(name, text.encode("utf-8"))}
    )


def test_a_file_with_too_many_rows_is_refused_before_anything_is_created(client, manager, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = "\n".join(f"员工{n},staff{n}@example.com" for n in range(4))
    url = _post(client, "姓名,邮箱\n" + rows + "\n")["Location"]
    assert "超过 3 行" in client.get(url).content.decode()
    html = client.post(url).content.decode()
    assert "没有导入任何内容" in html
    assert not User.objects.filter(email__startswith="staff").exists()


def test_the_default_limit_is_two_thousand_rows(client, manager):
    rows = "\n".join(f"员工{n},staff{n}@example.com" for n in range(2001))
    url = _post(client, "姓名,邮箱\n" + rows + "\n")["Location"]
    assert "超过 2000 行" in client.get(url).content.decode()


def test_an_organisation_uploads_only_so_many_files_a_day(client, manager, settings):
    settings.IMPORT_MAX_FILES_PER_DAY = 2
    text = "姓名,邮箱\n张伟,zhang.wei@example.com\n"
    assert _post(client, text).status_code == 302
    assert _post(client, text).status_code == 302
    refused = _post(client, text)
    assert refused.status_code == 200 and "24 小时内已上传 2 个文件" in refused.content.decode()
    assert ImportBatch.objects.filter(organisation=manager).count() == 2


def test_the_welcome_subject_names_the_platform_not_the_organisation(
    client, manager, django_capture_on_commit_callbacks
):
    url = _post(client, "姓名,邮箱\n张伟,zhang.wei@example.com\n")["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 1
    subject = mail.outbox[0].subject
    assert subject.startswith("质量学堂")
    assert "补贴" not in subject and "官方通知" not in subject
