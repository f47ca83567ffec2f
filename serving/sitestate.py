"""What every page needs and hardly ever changes, kept in each process between requests.

Before its own work, every Wagtail page looked up its site, the site's home page (twice: the
page, then its specific type), the Branding settings and the view restrictions of the page and
its ancestors: six queries, the same answer each time for every learner; a unit page then
read its course and the course's units, three or four more. They are kept here,
in process memory, for the current generation of the page cache (serving/pagecache.py). Every
change that could alter them (publishing, moving or deleting a page, a privacy change, a
Site or Branding save) starts a new generation once committed, and a process that sees a new
generation drops everything it kept. A GET request reads the generation once, at its start.

On (``SITE_STATE_IN_MEMORY``) wherever every process can read the generation: from Redis,
or from the file beside the SQLite database of the default install (serving/generation.py).
Off for PostgreSQL without Redis, where another machine would never hear of a change.
"""

from django.conf import settings
from django.db.models import Q

from serving.pagecache import generation, one_generation
from serving.statements import Bound

# (generation, {key: value}), replaced whole: a value loaded while another thread moved on
# to a newer generation lands in the old dict, never in the new one.
_kept = (None, {})
_MISSING = object()


def remembered(key, load, *, keep_none=True):
    """``load()``, or what it returned before in this generation of the site.

    With ``keep_none=False`` a None is not kept: for keys that come from the request (a
    path), so that made-up URLs cannot fill the memory.
    """
    if not settings.SITE_STATE_IN_MEMORY:
        return load()
    values = _current_values()
    value = values.get(key, _MISSING)
    if value is _MISSING:
        value = load()
        if value is not None or keep_none:
            values[key] = value
    return value


def _current_values():
    """The dict kept for the current generation (a new, empty one when it has moved on)."""
    global _kept
    current = generation()
    kept_generation, values = _kept
    if kept_generation != current:
        values = {}
        _kept = (current, values)
    return values


class SiteStateMiddleware:
    """Hands Wagtail the request's site, its home page already in its specific type, and the
    root paths of all sites, which every page link needs.

    Only for GET: a POST (an answer save, a quiz start) seldom needs the site and would pay a
    cache read for nothing; when it does, Wagtail looks it up as usual.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.SITE_STATE_IN_MEMORY and request.method == "GET"):
            return self.get_response(request)
        from wagtail.models import Site

        with one_generation():
            key = ("site", request.get_host(), request.get_port())
            request._wagtail_site = remembered(key, lambda: self.find_site(request))
            request._wagtail_cached_site_root_paths = remembered(
                "site_root_paths", Site.get_site_root_paths
            )
            return self.get_response(request)

    @staticmethod
    def find_site(request):
        from wagtail.models import Site

        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site


class RememberedViewRestrictions:
    """A page mixin: whether the page or an ancestor is private, asked once per generation.

    Almost every page is public, and for those the answer is an empty queryset that costs no
    query, already evaluated: Wagtail's serve hook iterates it on every page view, and an
    unevaluated ``none()`` is compiled each time only to find it selects nothing. A private
    page gets Wagtail's own queryset, as before.
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        def restricted():
            return super(RememberedViewRestrictions, self).get_view_restrictions().exists()

        if remembered(("restricted", self.path), restricted):
            return super().get_view_restrictions()
        nothing = PageViewRestriction.objects.none()
        nothing._result_cache = []
        return nothing


def public(pages):
    """``pages.public()``: without the pages under a view restriction, whose tree paths are
    read once per generation (every privacy change starts a new one).

    Wagtail's ``public()`` reads every restriction when the queryset is built, so a list that
    then comes whole from the shared cache still cost that query on each request.
    """
    from wagtail.models import PageViewRestriction

    paths = remembered(
        "restricted_paths",
        lambda: sorted(set(PageViewRestriction.objects.values_list("page__path", flat=True))),
    )
    hidden = Q()
    for path in paths:
        hidden |= Q(path__startswith=path)  # the restricted page and its subtree
    return pages.exclude(hidden) if paths else pages


def shared_pages(model, ids, by="pk"):
    """{pk: page of ``model``} for ``ids``, read once per generation for every request (with
    ``by="path"``, {path: page} for tree paths).

    For pages shown by their title and link beside a learner's own records (a dashboard's
    enrolments, attempts, assignments): a join on the page tables would cost each of those
    queries more than its own columns. Those not kept yet are read in one query, without
    their StreamFields. The pages are shared between requests: read them, never change them.
    """
    ids = set(ids) - {None}
    label = (model._meta.label_lower, by)
    if not settings.SITE_STATE_IN_MEMORY:
        return _read_pages(model, ids, by)
    values = _current_values()
    found = {pk: values[label, pk] for pk in ids if (label, pk) in values}
    missing = ids - found.keys()
    if missing:
        loaded = _read_pages(model, missing, by)
        for pk in missing:
            # One that does not exist is kept as None: the ids come from rows, not requests.
            values[label, pk] = loaded.get(pk)
        found.update(loaded)
    return {pk: page for pk, page in found.items() if page is not None}


def _read_pages(model, ids, by):
    if not ids:
        return {}
    pages = model.objects.filter(**{f"{by}__in": ids})
    if hasattr(pages, "defer_streamfields"):
        pages = pages.defer_streamfields()
    return {getattr(page, by): page for page in pages}


def with_shared_pages(queryset, **fields):
    """The rows of ``queryset`` with their page foreign keys named in ``fields`` (a name, or
    a path through a foreign key such as ``assignment__course``, = the page model) set.

    With the site state kept in memory they come from ``shared_pages``: no query once kept,
    at most one per field before. Without it (PostgreSQL without Redis) a join costs less
    than a query per field, so they are selected with the rows, as before.

    ``queryset`` may also be a compiled query with its values (serving/statements.py,
    ``Bound``): its kept statement reads the rows where no join is needed.
    """
    compiled = isinstance(queryset, Bound)
    if not settings.SITE_STATE_IN_MEMORY:
        return list((queryset.queryset() if compiled else queryset).select_related(*fields))
    rows = queryset.objects() if compiled else list(queryset)
    for path, model in fields.items():
        *through, name = path.split("__")
        owners = rows
        for step in through:
            owners = [getattr(owner, step) for owner in owners if getattr(owner, f"{step}_id")]
        pages = shared_pages(model, (getattr(owner, f"{name}_id") for owner in owners))
        for owner in owners:
            page = pages.get(getattr(owner, f"{name}_id"))
            if page is not None:
                setattr(owner, name, page)
    return rows
