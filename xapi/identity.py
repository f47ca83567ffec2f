"""Who a statement is about, without saying who: an account on the site with an opaque id.

PIPL: statements leave the platform, so they carry neither e-mail nor name nor the user's
database id. The id is an HMAC of the user's primary key under a server secret: stable for
as long as the secret is kept (the same person is the same actor in every statement, across
years), and not reversible to the user without the secret. ``XAPI_ACTOR_SECRET`` may be set
on its own so that rotating ``SECRET_KEY`` does not split every learner into two actors.
"""

import hashlib
import hmac
import uuid

from django.conf import settings

# 128 bits of the HMAC: collisions are out of reach for any number of accounts.
ACTOR_ID_LENGTH = 32


def _secret():
    return (getattr(settings, "XAPI_ACTOR_SECRET", "") or settings.SECRET_KEY).encode()


def _digest(purpose, value):
    message = f"{purpose}:{value}".encode()
    return hmac.new(_secret(), message, hashlib.sha256).hexdigest()


def home_page():
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def actor_name(user_id):
    return _digest("xapi-actor", user_id)[:ACTOR_ID_LENGTH]


def actor(user_id):
    return {
        "objectType": "Agent",
        "account": {"homePage": home_page(), "name": actor_name(user_id)},
    }


def registration(enrolment_id):
    """The enrolment as xAPI's registration: one UUID per learner and course, stable, and
    as opaque as the actor (a plain UUID of the row id would count enrolments)."""
    return str(uuid.UUID(_digest("xapi-registration", enrolment_id)[:32], version=4))


def attempt_statement_id(attempt_id):
    """The id of a quiz attempt's ``attempted`` statement, fixed by the attempt: written when
    the attempt starts, the attempt's graded statements name it (context.statement) without
    reading it back, and an attempt started before starts were reported gets it when graded."""
    return str(uuid.UUID(_digest("xapi-attempt", attempt_id)[:32], version=4))
