"""Whole pages kept for anonymous visitors, dropped the moment anything they show is published.

An anonymous visitor without a session sees the same course, lesson or catalog page as every
other one in their language, so the rendered page is kept in the shared cache and served
without touching the database. What decides it:

- Only GET requests without a session cookie (nobody signed in, no pending messages) look in
  the cache or fill it, so a signed-in learner always gets their own page.
- Only pages that say so (``CachedForAnonymous``) are stored, only when served live (never a
  preview, a draft or a restricted page's login form), only with status 200 and only when the
  response sets no cookie (a page that put a CSRF token in a form is never shared).
- Every publish, unpublish, move, deletion or privacy change of a page, and every change of
  the taxonomy or the site settings pages show, moves the cache to a new generation once the
  transaction commits; pages of older generations are never read again and expire.

A signed-in learner's page is their own, but a part of it may be everyone's (the catalog's
course list): ``shared_fragment_key`` keys such a part by the same generation.

Pages are kept in the default cache: Redis when there is one (the pages read most also in
front of it, in each process: serving/front.py), otherwise each process's own memory. Either
is correct because every process reads the generation (serving/generation.py) at the start
of a request, from Redis or from a file beside the SQLite database, and a page of an older
generation is never read again. Off when ``PAGE_CACHE_SECONDS`` is 0, the
default only where no process could tell the others of a change (PostgreSQL without Redis).
"""

import hashlib
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse

from serving import generation as _store
from serving.front import FrontCache
from serving.generation import GENERATION_KEY  # noqa: F401 (named here by callers and tests)

SKIPPED_HEADERS = {"set-cookie", "x-cache"}
_request_generation = ContextVar("request_generation", default=None)


def generation():
    current = _request_generation.get()
    if current is not None:
        return current
    return _store.read()


@contextmanager
def one_generation():
    """Within it, ``generation()`` is read once, then answered from memory.

    A request sees the site as it was when it began, and pays one round trip to the shared
    cache (or one file read) for it rather than one per lookup (on several machines, each
    is a network hop).
    """
    token = _request_generation.set(generation())
    try:
        yield
    finally:
        _request_generation.reset(token)


def new_generation():
    _store.bump()


def purge(**kwargs):
    """Start a new generation once the change is committed (a receiver for any signal)."""
    transaction.on_commit(new_generation)


class CachedForAnonymous:
    """A Wagtail page whose public view is the same for every anonymous visitor.

    ``cache_query_params`` lists the query parameters the page answers to; a request with any
    other is served but not stored, so made-up URLs cannot fill the cache.
    """

    cache_query_params = frozenset()

    def cacheable_request(self, request):
        return set(request.GET) <= self.cache_query_params

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        # Only a page the middleware could keep is checked: the check may cost queries.
        if (
            settings.PAGE_CACHE_SECONDS
            and not request.user.is_authenticated
            and not getattr(request, "is_preview", False)
            and self.cacheable_request(request)
        ):
            response.cacheable_for_anonymous = True
        return response


def shared_fragment_key(request):
    """A key for the part of a page that is the same for everyone, signed in or not, on this
    site, in this language and for this query; ``None`` when the page cache is off.

    Signed-in pages cannot come whole from the cache (their header is the learner's own), but
    the part everyone shares can, for as long as the anonymous page would have been kept.
    """
    if not settings.PAGE_CACHE_SECONDS or getattr(request, "is_preview", False):
        return None
    return f"{generation()}:{_language(request)}:{_url(request)}"


def _language(request):
    return getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)


def _url(request):
    return f"{request.get_host()}{request.path}?{sorted(request.GET.lists())}"


# The pages anonymous visitors ask for most: the home page, the catalog, popular courses.
_front = FrontCache(size=50)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or request.method != "GET" or self.has_state(request):
            return self.get_response(request)
        key = self.key(request, generation())
        stored = _front.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status, headers=headers)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.storable(request, response):
            headers = {k: v for k, v in response.items() if k.lower() not in SKIPPED_HEADERS}
            _front.set(key, (response.status_code, headers, response.content), seconds)
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def has_state(request):
        cookies = request.COOKIES
        return settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies

    @staticmethod
    def key(request, current):
        digest = hashlib.sha256(_url(request).encode()).hexdigest()
        return f"pagecache:{current}:{_language(request)}:{digest}"

    @staticmethod
    def storable(request, response):
        return (
            getattr(response, "cacheable_for_anonymous", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.user.is_authenticated
            # The session middleware sets its cookie after this one has seen the response.
            and not getattr(getattr(request, "session", None), "modified", False)
        )


def connect():
    """Purge on every change Wagtail itself makes to what pages show: publishing,
    unpublishing, moving or deleting a page, its privacy and the site records. Each app
    names its own models with ``purge_on_change`` in its receivers."""
    from django.db.models.signals import post_delete
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(purge, dispatch_uid=f"pagecache-{id(signal)}")
    for model in (PageViewRestriction, Site):
        purge_on_change(model)
    post_delete.connect(purge_deleted_page, dispatch_uid="pagecache-page-deleted")


def purge_on_change(model):
    """Move the cache to a new generation whenever a row of ``model`` is saved or deleted:
    for models whose rows pages show (taxonomy, site settings)."""
    from django.db.models.signals import post_delete, post_save

    label = model._meta.label
    post_save.connect(purge, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(purge, sender=model, dispatch_uid=f"pagecache-del-{label}")


def purge_deleted_page(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        purge()
