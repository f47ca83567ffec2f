"""Forwarding the outbox to an external learning record store (LRS), when one is configured.

Statements go in batches (POST /statements with a list, xAPI 1.0.3, basic auth), oldest
first, and are marked sent when the LRS accepts them. Their ids were fixed when written, so a
batch sent again after a lost reply is recognised by the LRS as the statements it has (an LRS
answers 200/204 for an identical statement, some 409): nothing is stored twice. A batch the
LRS refuses as a whole for one statement's sake (400, 409) is sent again one statement at a
time, so one bad statement cannot hold back the others. An outage (no answer, 5xx, 401, 429)
ends the run and backs off exponentially: the batch waits, with the error, for its next try.
"""

import base64
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from xapi.models import Statement

HEADERS = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"}
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=6)


class Outage(Exception):
    """The LRS cannot take anything now: stop, back off."""


class Refused(Exception):
    """The LRS refused this request's content (4xx): worth trying statement by statement."""


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    error: str = ""


def configured():
    return bool(settings.XAPI_ENDPOINT and settings.XAPI_KEY and settings.XAPI_SECRET)


def backoff(attempts):
    """30 s, 1 min, 2 min, ... at most 6 hours between tries."""
    return min(FIRST_WAIT * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _request(method, url, body):
    token = base64.b64encode(f"{settings.XAPI_KEY}:{settings.XAPI_SECRET}".encode()).decode()
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        method=method,
        headers={**HEADERS, "Authorization": f"Basic {token}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.XAPI_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        detail = error.read()[:300].decode(errors="replace")
        if error.code == 409:
            return 409
        if 400 <= error.code < 500 and error.code not in (401, 403, 407, 408, 429):
            raise Refused(f"HTTP {error.code}: {detail}") from error
        raise Outage(f"HTTP {error.code}: {detail}") from error
    except (urllib.error.URLError, OSError) as error:
        raise Outage(str(getattr(error, "reason", error))) from error


def statements_url():
    return settings.XAPI_ENDPOINT.rstrip("/") + "/statements"


def _send_batch(batch):
    """Send ``batch``; return the statements the LRS now holds. Raises Outage."""
    try:
        status = _request("POST", statements_url(), [row.data for row in batch])
    except Refused as error:
        if len(batch) == 1:
            return [], [(batch[0], str(error))]
        status = 409
    if status != 409 or len(batch) == 1:
        # 200/204, or one statement whose id the LRS already holds: it is there.
        return batch, []
    held, refused = [], []
    for row in batch:
        try:
            # PUT names the id: 204 stored, 409 already there; either way the LRS holds it.
            _request("PUT", f"{statements_url()}?statementId={row.id}", row.data)
            held.append(row)
        except Refused as error:
            refused.append((row, str(error)))
    return held, refused


def _mark_failed(rows, error, now):
    for row in rows:
        row.attempts += 1
        row.next_try_at = now + backoff(row.attempts)
        row.last_error = error[:1000]
    Statement.objects.bulk_update(rows, ["attempts", "next_try_at", "last_error"])


def forward(batch_size=None, max_batches=None, now=None):
    """Send what is due, batch by batch, until nothing is due or the LRS is out."""
    outcome = Outcome()
    if not configured():
        outcome.error = "not configured"
        return outcome
    size = batch_size or settings.XAPI_BATCH_SIZE
    batches = 0
    while max_batches is None or batches < max_batches:
        batches += 1
        with transaction.atomic():
            when = now or timezone.now()
            # Two forwarders take different rows; on SQLite, which has no row locks, they
            # could send one batch twice, which the fixed ids make harmless.
            batch = list(Statement.objects.due(when).select_for_update(skip_locked=True)[:size])
            if not batch:
                break
            try:
                held, refused = _send_batch(batch)
            except Outage as error:
                _mark_failed(batch, str(error), when)
                outcome.failed += len(batch)
                outcome.error = str(error)
                break
            sent_at = timezone.now()
            Statement.objects.filter(pk__in=[row.pk for row in held]).update(
                sent_at=sent_at, last_error=""
            )
            outcome.sent += len(held)
            for row, error in refused:
                _mark_failed([row], error, when)
                outcome.failed += 1
                outcome.error = error
    return outcome
