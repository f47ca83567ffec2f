"""The sign-in backends, as Django's and allauth's, with the signed-in user read by a
statement compiled once (serving/statements.py).

Every request of a signed-in person reads its user row through the backend its session
names, and the ORM spent about three times as long building and compiling that one
``get(pk=...)`` as the kept statement takes to run (docs/figures.md, *Signed-in pages*).
Sessions made under the previous settings named Django's and allauth's own classes: they end
at their next request, and their owners sign in again.
"""

from allauth.account import auth_backends
from django.contrib.auth import backends

from accounts.models import User
from serving.statements import CompiledQuery

_USER = CompiledQuery(lambda pk: User._default_manager.filter(pk=pk), pk=(User, "id"))


class _CompiledUser:
    def get_user(self, user_id):
        user = next(iter(_USER.objects(pk=user_id)), None)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_CompiledUser, backends.ModelBackend):
    """Username or e-mail address with password, as Django's own."""


class AuthenticationBackend(_CompiledUser, auth_backends.AuthenticationBackend):
    """allauth's: sign-in by e-mail address, codes and the social accounts."""
