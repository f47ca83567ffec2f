"""Where a ``next`` parameter may send a visitor: only to a page of this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, url, fallback):
    """``url`` when it leads to this site (a path, or this host over the request's scheme),
    otherwise ``fallback``: never another site (``https://evil.example/``,
    ``//evil.example``, ``/\\evil.example``) nor a ``javascript:`` link."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return fallback
