"""HTML templates to PDF with xhtml2pdf, in Chinese, with the font shipped in static/fonts.

xhtml2pdf resolves every URL in the template through ``link_callback``. A font it cannot
open where it is allowed to look does not raise: the text silently turns into black boxes.
So fonts and images are resolved here, to absolute paths inside the project's static files or
to files of the media storage (inlined when it is remote), and anything else is refused; the
tests read the text back out of the PDF.
"""

import base64
import io
import mimetypes
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import storages
from django.template.loader import render_to_string

FONT_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
# WenQuanYi Micro Hei (Apache 2.0): TrueType outlines, which reportlab can subset and embed,
# covering Latin and the 20,932 unified ideographs of the basic block (堃 喆 昇 玥 among them).
CJK_FONT = FONT_DIR / "WenQuanYiMicroHei.ttf"


class PDFRenderError(Exception):
    pass


def link_callback(uri, rel):
    """Map a template's URI to a file the renderer may read, or refuse it."""
    if uri.startswith("data:"):
        return uri
    if uri.startswith(settings.STATIC_URL):
        root = (Path(settings.BASE_DIR) / "static").resolve()
        path = (root / uri.removeprefix(settings.STATIC_URL)).resolve()
        if path.is_relative_to(root) and path.is_file():
            return str(path)
    elif uri.startswith(settings.MEDIA_URL):
        return media_file(unquote(uri.removeprefix(settings.MEDIA_URL)))
    raise PDFRenderError(f"not a local file: {uri}")


def media_file(name):
    """A file of the media storage: its path where it has one, else its bytes inlined, since a
    remote storage (S3) has no path the renderer could open."""
    storage = storages["default"]
    try:
        try:
            path = Path(storage.path(name)).resolve()
        except NotImplementedError:
            with storage.open(name, "rb") as handle:
                data = handle.read()
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"
    except (SuspiciousOperation, OSError) as exc:
        raise PDFRenderError(f"not a media file: {name}") from exc
    if path.is_relative_to(Path(storage.location).resolve()) and path.is_file():
        return str(path)
    raise PDFRenderError(f"not a media file: {name}")


def render_pdf(template_name, context):
    """The template rendered as PDF bytes, fonts embedded as subsets."""
    html = render_to_string(template_name, {**context, "cjk_font_url": font_url()})
    output = io.BytesIO()
    # xhtml2pdf brings reportlab, pypdf and svglib: tens of MB that only a certificate or
    # a printed sheet needs, so a web worker loads them on its first PDF, not at start.
    from xhtml2pdf import pisa

    result = pisa.CreatePDF(html, dest=output, encoding="utf-8", link_callback=link_callback)
    if result.err:
        raise PDFRenderError(f"{result.err} error(s) rendering {template_name}")
    return output.getvalue()


def font_url():
    return f"{settings.STATIC_URL}fonts/{CJK_FONT.name}"
