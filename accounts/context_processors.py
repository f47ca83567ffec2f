from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.roles import work_roles


def flags(request):
    return {"staff_two_factor_required": settings.STAFF_TWO_FACTOR_REQUIRED}


def roles(request):
    """The header's links to the user's work, read only by a template that shows them."""
    return {"work_roles": SimpleLazyObject(lambda: work_roles(request.user))}
