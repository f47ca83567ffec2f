"""An explicit confirmation step before something is removed or withdrawn.

The first request (a link, or a POST without the confirmation field) only shows what will
happen; nothing changes until the confirmation form is posted with ``confirm=1``.
"""

from django.shortcuts import render

CONFIRM_FIELD = "confirm"


def confirmed(request):
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def confirm_page(request, *, title, text, button, back, extra=None):
    """The confirmation page; ``extra`` is a dict of hidden fields posted back with it."""
    return render(
        request,
        "includes/confirm_page.html",
        {
            "title": title,
            "text": text,
            "button": button,
            "back": back,
            "extra": (extra or {}).items(),
            "field": CONFIRM_FIELD,
        },
    )
