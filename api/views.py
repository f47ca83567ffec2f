"""A manager's pages for the organisation's API keys: create (the key is shown once), see
when each was last used, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.access import managed_organisation, require_verified
from accounts.confirm import confirm_page, confirmed
from api import keys
from api.forms import ApiKeyForm
from api.models import ApiKey


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def key_list(request):
    organisation = managed_organisation(request.user)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST":
        require_verified(organisation)
        if form.is_valid():
            key, whole = keys.create(organisation, request.user, form.cleaned_data["name"])
            # Rendered, not redirected: the whole key is in this one response and nowhere else.
            return render(request, "api/key_created.html", {"key": key, "whole": whole})
    return render(
        request,
        "api/keys.html",
        {
            "organisation": organisation,
            "form": form,
            "keys": ApiKey.objects.of(organisation).select_related("created_by"),
            "docs_url": reverse("api_v1:openapi-view"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def key_revoke(request, key_id):
    organisation = managed_organisation(request.user)
    key = get_object_or_404(ApiKey.objects.of(organisation).active(), pk=key_id)
    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Revoke the key “%(name)s”?") % {"name": key.name},
            text=_(
                "Systems using this key will be refused from now on. This cannot be undone; "
                "create a new key if one is needed again."
            ),
            button=_("Revoke the key"),
            back=reverse("api_keys"),
        )
    keys.revoke(key)
    messages.success(request, _("The key “%(name)s” was revoked.") % {"name": key.name})
    return redirect("api_keys")
