"""HTML templates to PDF with xhtml2pdf, in Chinese, with the font shipped in static/fonts.

xhtml2pdf resolves every URL in the template through ``link_callback``. A font it cannot
open where it is allowed to look does not raise: the text silently turns into black boxes.
So fonts and images are resolved here, to absolute paths inside the project or the media
root, and anything else is refused; the tests read the text back out of the PDF.
"""

import io
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from xhtml2pdf import pisa

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
    roots = [
        (settings.STATIC_URL, Path(settings.BASE_DIR) / "static"),
        (settings.MEDIA_URL, Path(settings.MEDIA_ROOT)),
    ]
    for prefix, root in roots:
        if uri.startswith(prefix):
            path = (root / uri.removeprefix(prefix)).resolve()
            if path.is_relative_to(root.resolve()) and path.is_file():
                return str(path)
    raise PDFRenderError(f"not a local file: {uri}")


def render_pdf(template_name, context):
    """The template rendered as PDF bytes, fonts embedded as subsets."""
    html = render_to_string(template_name, {**context, "cjk_font_url": font_url()})
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8", link_callback=link_callback)
    if result.err:
        raise PDFRenderError(f"{result.err} error(s) rendering {template_name}")
    return output.getvalue()


def font_url():
    return f"{settings.STATIC_URL}fonts/{CJK_FONT.name}"
