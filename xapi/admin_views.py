from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Max, Min, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xapi import forwarding
from xapi.models import Statement


@permission_required("xapi.view_statement", raise_exception=True)
@require_GET
def outbox(request):
    """The outbox's state for administrators: counts only, no statement's content."""
    counts = Statement.objects.aggregate(
        waiting=Count("pk", filter=Q(sent_at__isnull=True)),
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        failing=Count("pk", filter=Q(sent_at__isnull=True, attempts__gt=0)),
        oldest_waiting=Min("created_at", filter=Q(sent_at__isnull=True)),
        last_sent=Max("sent_at"),
    )
    last_failure = (
        Statement.objects.failing()
        .order_by("-next_try_at")
        .values("last_error", "attempts", "next_try_at")
        .first()
    )
    return render(
        request,
        "xapi/admin/outbox.html",
        {
            "counts": counts,
            "last_failure": last_failure,
            "configured": forwarding.configured(),
            "endpoint": settings.XAPI_ENDPOINT,
        },
    )
