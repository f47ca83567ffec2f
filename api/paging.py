"""Cursor pagination and the ``updated_since`` filter.

A cursor is the (time, id) of the last record of a page, opaque to the caller (base64 of
JSON). Records are read in (time, id) order from just after it, so a walk sees every record
once even while new ones arrive: a new or changed record lands after the cursor and is met
later in the walk, never moving others across a page boundary. Offsets would skip or repeat
records whenever one was added before the current page.
"""

import base64
import binascii
import json
import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja.errors import HttpError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# "+08:00" sent unencoded in a query string arrives as " 08:00": read it as meant.
_SPACED_OFFSET = re.compile(r" (\d{2}:?\d{2})$")


@dataclass
class Page:
    items: list
    next_cursor: str | None


def encode(moment, pk):
    raw = json.dumps([moment.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor):
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        moment, pk = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = parse_datetime(moment)
        if moment is None or not isinstance(pk, int):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, json.JSONDecodeError) as exc:
        raise HttpError(
            400, _("The cursor is not one this API gave out; start again without it.")
        ) from exc
    return moment, pk


def parse_since(value):
    """The aware datetime ``value`` names, or a 422 that says what is expected."""
    if value is None:
        return None
    text = _SPACED_OFFSET.sub(r"+\1", value.strip())
    try:
        moment = parse_datetime(text)
    except ValueError:
        moment = None
    if moment is None or timezone.is_naive(moment):
        raise HttpError(
            422,
            _(
                "updated_since must be an ISO 8601 date and time with a time zone, such as "
                "2026-12-01T00:00:00+08:00 or 2026-11-30T16:00:00Z; got “%(value)s”."
            )
            % {"value": value[:40]},
        )
    return moment


def check_limit(limit):
    if not 1 <= limit <= MAX_LIMIT:
        raise HttpError(422, _("limit must be between 1 and %(most)s.") % {"most": MAX_LIMIT})
    return limit


def page(queryset, field, *, changed=None, cursor=None, updated_since=None, limit=DEFAULT_LIMIT):
    """One page of ``queryset`` in (``field``, id) order: its rows, and the next cursor
    while more may follow. One query, however far the walk has gone. ``changed(since)``
    is the filter ``updated_since`` applies (by default ``field`` on or after it)."""
    check_limit(limit)
    since = parse_since(updated_since)
    if since is not None:
        queryset = queryset.filter(changed(since) if changed else Q(**{f"{field}__gte": since}))
    if cursor:
        moment, pk = decode(cursor)
        queryset = queryset.filter(
            Q(**{f"{field}__gt": moment}) | Q(**{field: moment, "pk__gt": pk})
        )
    rows = list(queryset.order_by(field, "pk")[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = encode(_value(last, field), last.pk) if more else None
    return Page(rows, next_cursor)


def _value(row, field):
    for part in field.split("__"):
        row = getattr(row, part)
    return row
