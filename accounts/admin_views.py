"""Organisation pages of the Wagtail admin: verifying a registered organisation."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.models import VERIFYING_MEANS, Organisation


@permission_required("accounts.change_organisation", raise_exception=True)
@require_http_methods(["GET", "POST"])
def verify_view(request, organisation_id):
    """Show what verifying means and, on POST, verify the organisation in the admin's name."""
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if request.method == "POST" and not organisation.is_verified:
        services.verify_organisation(organisation, by=request.user)
        messages.success(request, _("%(name)s is verified.") % {"name": organisation.name})
        return redirect("organisation:index")
    return TemplateResponse(
        request,
        "accounts/admin/verify.html",
        {"organisation": organisation, "verifying_means": VERIFYING_MEANS},
    )
