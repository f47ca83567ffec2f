"""Which kinds of work a signed-in person has besides learning: teaching at a school,
managing an organisation's training, the administration site.

Every page's header shows them, so they are kept in the shared cache per user and read
from the database only when missing: a learner with no role pays one cache read a page,
no query. A change of membership, groups or staff flags drops the entry (accounts/receivers).
"""

from dataclasses import asdict, dataclass

from django.core.cache import cache

from accounts.models import Membership, OrganisationKind, Role

CACHE_SECONDS = 10 * 60


@dataclass(frozen=True)
class WorkRoles:
    teacher: bool = False
    manager: bool = False
    admin: bool = False

    def __bool__(self):
        return self.teacher or self.manager or self.admin


def cache_key(user_id):
    return f"work-roles:v1:{user_id}"


def work_roles(user):
    """The user's WorkRoles; nobody's for an anonymous visitor."""
    if not user.is_authenticated:
        return WorkRoles()
    cached = cache.get(cache_key(user.pk))
    if cached is not None:
        return WorkRoles(**cached)
    roles = _read(user)
    cache.set(cache_key(user.pk), asdict(roles), CACHE_SECONDS)
    return roles


def _read(user):
    teacher = manager = False
    for role, kind in (
        Membership.objects.filter(user=user)
        .exclude(role=Role.LEARNER)
        .values_list("role", "organisation__kind")
    ):
        manager = manager or role == Role.MANAGER
        # As classrooms' own views decide: a school's teachers and managers look after classes.
        teacher = teacher or kind == OrganisationKind.SCHOOL
    admin = user.is_active and user.has_perm("wagtailadmin.access_admin")
    return WorkRoles(teacher=teacher, manager=manager, admin=admin)


def forget(user_id):
    cache.delete(cache_key(user_id))
