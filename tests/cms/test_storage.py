"""What PDF templates may read on the default, filesystem storage (tests/certificates/
test_s3_storage.py covers S3)."""

import pytest

from cms.pdf import CJK_FONT, PDFRenderError, font_url, link_callback


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
