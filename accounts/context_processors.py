from django.conf import settings


def flags(request):
    return {"staff_two_factor_required": settings.STAFF_TWO_FACTOR_REQUIRED}
