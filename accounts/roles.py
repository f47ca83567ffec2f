"""Which kinds of work a signed-in person has besides learning: teaching at a school,
managing an organisation's training, the administration site; and whether they belong to
an organisation at all, without which no staff training can be set for them (the dashboard
then skips that section's query: most of the city's learners belong to none).

Every page's header shows them, so they are kept in the shared cache per user and read
from the database only when missing: a learner with no role pays one cache read a page,
no query. A change of membership, groups or staff flags drops the entry (accounts/receivers).
Within a request they are read from the cache once (``read_once``): the header and each
dashboard section that asks would otherwise pay a round trip each.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass

from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q

from accounts.models import Membership, Role, User

CACHE_SECONDS = 10 * 60


@dataclass(frozen=True)
class WorkRoles:
    teacher: bool = False
    manager: bool = False
    admin: bool = False
    member: bool = False

    def __bool__(self):
        # Work besides learning, which the header links to; belonging alone is not such work.
        return self.teacher or self.manager or self.admin


def cache_key(user_id):
    return f"work-roles:v2:{user_id}"


# {user id: WorkRoles} for the request under way; None outside a request.
_request_memo = ContextVar("work_roles_memo", default=None)


@contextmanager
def read_once():
    """Within it (a request: accounts/middleware.py), each user's roles are read once."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def work_roles(user):
    """The user's WorkRoles; nobody's for an anonymous visitor."""
    if not user.is_authenticated:
        return WorkRoles()
    memo = _request_memo.get()
    if memo is not None and user.pk in memo:
        return memo[user.pk]
    cached = cache.get(cache_key(user.pk))
    if cached is not None:
        roles = WorkRoles(**cached)
    else:
        roles = _read(user)
        cache.set(cache_key(user.pk), asdict(roles), CACHE_SECONDS)
    if memo is not None:
        memo[user.pk] = roles
    return roles


def _read(user):
    """All four in one query (it runs at sign-in, see accounts/receivers)."""
    person = OuterRef("pk")
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            # As classrooms' own views decide: a school's teachers and managers have classes.
            teaches=Exists(Membership.objects.filter(user=person).teaching()),
            manages=Exists(Membership.objects.filter(user=person, role=Role.MANAGER)),
            belongs=Exists(Membership.objects.filter(user=person)),
            # Wagtail's own test for the admin: the access_admin permission, held
            # directly or through a group (a superuser holds every permission).
            may_admin=Exists(
                Permission.objects.filter(
                    Q(user=person) | Q(group__user=person),
                    content_type__app_label="wagtailadmin",
                    codename="access_admin",
                )
            ),
        )
        .values("teaches", "manages", "belongs", "may_admin", "is_superuser", "is_active")
        .first()
    )
    if row is None or not row["is_active"]:
        return WorkRoles()
    return WorkRoles(
        teacher=row["teaches"],
        manager=row["manages"],
        admin=row["is_superuser"] or row["may_admin"],
        member=row["belongs"],
    )


def forget(user_id):
    forget_many([user_id])


def forget_many(user_ids):
    """Also for memberships made in bulk, which send no signal."""
    cache.delete_many([cache_key(user_id) for user_id in user_ids])
    memo = _request_memo.get()
    if memo:
        for user_id in user_ids:
            memo.pop(user_id, None)
