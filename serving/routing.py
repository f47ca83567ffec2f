"""Finding the page for a URL in one lookup instead of one per path segment.

Wagtail walks from the site's root page down, one query for each child and one more for its
specific page, so a lesson at /courses/<course>/<lesson>/ cost eight queries before its view
started. Every page stores its full ``url_path``, kept current by Wagtail on slug changes and
moves, so the same page is one indexed lookup by slug and depth away.

The walk is kept whenever it could answer differently: a page type that overrides ``route``
(a routable page) anywhere in the project, unless it declares ``routes_yield_to_pages`` (its
own routes answer only where no live page is, as the course's teacher's guide does), or no
live page at that path (the walk then gives
its usual 404 or whatever an ancestor's route decides).
"""

from functools import cache

from wagtail.models import Page, get_page_models

from serving.sitestate import remembered


@cache
def walk_is_plain(root_class):
    """True when no page type below the root routes differently from ``Page.route``."""
    return all(
        model.route is Page.route or getattr(model, "routes_yield_to_pages", False)
        for model in get_page_models()
        if model is not root_class
    )


def page_at(root, path_components):
    """The live specific page at ``path_components`` under ``root``, or None.

    A page found is kept for the generation (serving/sitestate.py), as the site's home page
    is: every publish, unpublish, move or deletion starts a new one. Its two queries (the
    page, then its specific row) were what a signed-in lesson still paid for its URL.
    """
    if not path_components or not walk_is_plain(type(root)):
        return None
    url_path = f"{root.url_path}{'/'.join(path_components)}/"

    def live_page():
        return (
            Page.objects.filter(
                slug=path_components[-1],
                depth=root.depth + len(path_components),
                url_path=url_path,
            )
            .live()
            .specific()
            .first()
        )

    return remembered(("page-at", url_path), live_page, keep_none=False)
