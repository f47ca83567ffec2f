"""Who a person says they are (pupil, teacher, ...) is picked from the catalog's audiences,
which courses owns. Accounts sits below courses and must not import it, so courses hands the
list down at start-up (``provide``, called from courses/receivers.py)."""

_source = None


def provide(source):
    """Register ``source``: a callable returning ``(slug, label)`` pairs, read each time a
    form is built."""
    global _source
    _source = source


def choices():
    """The registered audiences as ``(slug, label)`` pairs; none before courses registered."""
    return list(_source()) if _source is not None else []
