"""Writes of the outbox: the statements of one event, in the caller's transaction."""

from xapi.models import Statement
from xapi.tasks import on_commit_schedule


def record(user_id, statements, ignore_existing=False):
    """Store ``statements`` (dicts from xapi.statements) for ``user_id``.

    Called from the receivers of the learning events, inside the transaction that records
    the event: the statement exists exactly when the event does. One insert for any number
    of statements (an attempt's answers come together). ``ignore_existing`` drops the
    statements whose fixed id is already in the outbox (the one written first is kept, and
    is the one that may have been sent)."""
    Statement.objects.bulk_create(
        (
            Statement(
                id=data["id"], user_id=user_id, verb=data["verb"]["display"]["en-US"], data=data
            )
            for data in statements
        ),
        ignore_conflicts=ignore_existing,
    )
    on_commit_schedule()


def forget_unsent(user):
    """An account's deletion: what has not left the platform never will. Sent statements stay
    without the link to the account (their copy is at the learning record store)."""
    return Statement.objects.of_person(user).waiting().delete()[0]
