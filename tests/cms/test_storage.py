"""Storage settings as the environment makes them, and what PDF templates may read on the
filesystem storage (tests/certificates/test_s3_storage.py covers the S3 storage)."""

import pytest

from serving.pdf import CJK_FONT, PDFRenderError, font_url, link_callback
from tests.cms.test_settings import PRODUCTION, run_manage


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "seal.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("not media")
    return settings.MEDIA_ROOT


def test_media_and_static_files_resolve_to_their_paths(media, settings):
    assert link_callback(settings.MEDIA_URL + "seal.png", None) == str(media / "seal.png")
    assert link_callback(font_url(), None) == str(CJK_FONT.resolve())


@pytest.mark.parametrize(
    "uri",
    [
        "/media/../secret.txt",
        "/media/%2E%2E/secret.txt",
        "/media/link.txt",
        "/media/missing.png",
        "/static/../manage.py",
        "/etc/passwd",
        "https://example.org/seal.png",
    ],
)
def test_anything_outside_media_and_static_is_refused(media, uri):
    (media / "link.txt").symlink_to(media.parent / "secret.txt")
    with pytest.raises(PDFRenderError):
        link_callback(uri, None)


S3 = {
    **PRODUCTION,
    "STORAGE_BACKEND": "s3",
    "S3_BUCKET": "academy-media",
    "S3_PRIVATE_BUCKET": "academy-private",
    "S3_ENDPOINT_URL": "https://oss-cn-shanghai.aliyuncs.com",
    "S3_REGION": "cn-shanghai",
}
SHOW_STORAGES = """
from django.conf import settings
from django.core.files.storage import storages
for alias in ("default", "certificates"):
    s = storages[alias]
    print(alias, type(s).__name__, s.bucket_name, s.location, s.default_acl,
          s.querystring_auth, s.file_overwrite, s.custom_domain, s.endpoint_url)
print(settings.MEDIA_URL)
"""


def storages_shown(**env):
    result = run_manage("shell", "-c", SHOW_STORAGES, env_extra={**S3, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-3:]


def test_storage_backend_s3_puts_media_and_private_certificates_in_buckets():
    default, certificates, media_url = storages_shown()
    endpoint = S3["S3_ENDPOINT_URL"]
    assert default == f"default S3Storage academy-media media None True False None {endpoint}"
    assert certificates == (
        f"certificates S3Storage academy-private certificates private True False None {endpoint}"
    )
    assert media_url == "/media/"


def test_a_public_media_domain_never_serves_certificates():
    default, certificates, media_url = storages_shown(
        S3_PRIVATE_BUCKET="", S3_CUSTOM_DOMAIN="media.academy.example.org"
    )
    assert " academy-media media None False False media.academy.example.org " in default
    assert " academy-media certificates private True False None " in certificates
    assert media_url == "https://media.academy.example.org/media/"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be one of filesystem, s3, not 'ftp'"),
        ({"S3_BUCKET": ""}, "STORAGE_BACKEND=s3 needs S3_BUCKET"),
        (
            {"S3_PRIVATE_BUCKET": "", "S3_CERTIFICATES_PREFIX": "media/certificates"},
            "must be separate, non-empty folders",
        ),
    ],
)
def test_storage_settings_that_cannot_work_stop_the_start(env, message):
    result = run_manage("check", env_extra={**S3, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
