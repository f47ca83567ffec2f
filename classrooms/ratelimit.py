"""Wrong class codes are counted per account and per address, so guessing codes stops fast.

A whole class often shares one address (the school's network), so the address gets a
larger allowance than an account. The address is the client's (serving.ratelimit.client_key),
not the reverse proxy's.
"""

from serving.ratelimit import client_key, give_back, take

WINDOW_SECONDS = 15 * 60
MAX_WRONG_PER_USER = 10
MAX_WRONG_PER_ADDRESS = 100


def attempt(request):
    """Count one try at a code: a receipt to hand to ``not_a_guess`` when the code was
    right, or None when the account or address has had too many wrong codes."""
    return take(
        [
            ("class-join-user", request.user.pk, MAX_WRONG_PER_USER, WINDOW_SECONDS),
            ("class-join-addr", client_key(request), MAX_WRONG_PER_ADDRESS, WINDOW_SECONDS),
        ]
    )


def not_a_guess(receipt):
    give_back(receipt)
