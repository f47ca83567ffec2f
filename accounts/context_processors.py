from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.roles import work_roles


def flags(request):
    return {"staff_two_factor_required": settings.STAFF_TWO_FACTOR_REQUIRED}


def roles(request):
    """The header's links to the user's work, read only by a template that shows them, and
    the header's variant: which of its shared renderings this visitor sees (base.html)."""
    roles = SimpleLazyObject(lambda: work_roles(request.user))
    return {"work_roles": roles, "header_variant": lambda: header_variant(request.user, roles)}


def header_variant(user, roles):
    if not user.is_authenticated:
        return "visitor"
    return "signed-in:" + "".join(
        "1" if on else "0" for on in (roles.teacher, roles.manager, roles.admin)
    )
