import json

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import access, batches, services
from accounts.confirm import confirm_page, confirmed
from accounts.forms import (
    DeleteAccountForm,
    JoinForm,
    MembershipForm,
    OrganisationForm,
    ProfileForm,
    PupilForm,
    UploadForm,
)
from accounts.imports import IMPORTERS
from accounts.models import PEOPLE_ROLES, ImportBatch, ImportKind, Membership, Role

MEMBERS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    memberships = request.user.memberships.select_related("organisation")
    return render(request, "accounts/profile.html", {"form": form, "memberships": memberships})


@login_required
@reauthentication_required
def export_data(request):
    data = services.personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="quality-academy-{stamp}.json"'
    return response


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        services.delete_account(user)
        messages.success(request, _("Your account and your personal data have been deleted."))
        return redirect("/")
    return render(request, "accounts/delete.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def register_organisation(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.register_organisation(request.user, **form.cleaned_data)
        messages.success(
            request,
            _(
                "%(name)s is registered. Share the invitation code with your staff. An "
                "administrator will verify the organisation before it can import staff or "
                "create pupil accounts."
            )
            % {"name": organisation.name},
        )
        return redirect("organisation")
    return render(request, "accounts/organisation_register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def join(request, code=None):
    form = JoinForm(request.POST or ({"code": code} if code else None))
    if form.is_bound and form.is_valid() and request.method == "POST":
        services.join_organisation(request.user, form.cleaned_data["code"])
        messages.success(request, _("You have joined %(name)s.") % {"name": form.organisation})
        return redirect("profile")
    organisation = getattr(form, "organisation", None) if form.is_bound else None
    return render(request, "accounts/join.html", {"form": form, "organisation": organisation})


@login_required
def organisation(request):
    own = access.managed_organisation(request.user)
    members = Membership.objects.of(own).with_people()
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    join_url = request.build_absolute_uri(f"/org/join/{own.invite_code}/")
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": own,
            "members_page": page,
            "join_url": join_url,
            "import_kinds": ImportKind,
        },
    )


@login_required
@require_POST
def renew_invite_code(request):
    services.renew_invite_code(access.managed_organisation(request.user))
    messages.success(request, _("A new invitation code is in force; the old one no longer works."))
    return redirect("organisation")


@login_required
@require_http_methods(["GET", "POST"])
def member(request, membership_id):
    own = access.managed_organisation(request.user)
    membership = access.member_of(own, membership_id)
    form = MembershipForm(
        request.POST or None,
        organisation=own,
        membership=membership,
        initial={
            "role": membership.role,
            "department": membership.department,
            "staff_number": membership.staff_number,
        },
    )
    if request.method == "POST" and "remove" in request.POST:
        if membership.user_id == request.user.pk:
            messages.error(request, _("You cannot remove yourself."))
            return redirect("organisation_member", membership_id=membership.pk)
        if not confirmed(request):
            return confirm_page(
                request,
                title=_("Remove %(name)s from %(organisation)s?")
                % {"name": membership.user, "organisation": own.name},
                text=_(
                    "They lose access to the organisation's pages and assignments. Their own "
                    "account, learning records and certificates stay theirs."
                ),
                button=_("Remove from the organisation"),
                back=reverse("organisation_member", args=[membership.pk]),
                extra={"remove": "1"},
            )
        services.remove_member(membership)
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
        return redirect("organisation")
    if request.method == "POST" and form.is_valid():
        services.update_membership(membership, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("organisation")
    return render(request, "accounts/member.html", {"form": form, "membership": membership})


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, kind):
    if kind not in IMPORTERS:
        raise Http404
    own = access.require_verified(
        access.teaching_school(request.user)
        if kind == ImportKind.PUPILS
        else access.managed_organisation(request.user)
    )
    form = UploadForm(request.POST or None, request.FILES or None, organisation=own)
    if request.method == "POST" and form.is_valid():
        batch = batches.store_upload(own, kind, request.user, form.cleaned_data["file"])
        return redirect("import_preview", batch_id=batch.pk)
    return render(
        request, "accounts/import_upload.html", {"form": form, "kind": kind, "organisation": own}
    )


def _own_batch(request, batch_id):
    batch = get_object_or_404(ImportBatch, pk=batch_id, uploaded_by=request.user)
    if not Membership.objects.filter(
        user=request.user,
        organisation=batch.organisation,
        role__in=PEOPLE_ROLES,
    ).exists():
        raise Http404
    return batch


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, batch_id):
    batch = _own_batch(request, batch_id)
    access.require_verified(batch.organisation)
    importer = IMPORTERS[batch.kind](batch.organisation)
    if request.method == "POST":
        if batch.applied_at:
            messages.info(request, _("This file has already been imported."))
            return redirect("import_preview", batch_id=batch.pk)
        report, created = batches.apply_batch(batch, importer)
        if created is None:
            messages.error(request, _("Nothing was imported: the file has errors."))
        else:
            return render(
                request,
                "accounts/import_result.html",
                {
                    "batch": batch,
                    "report": report,
                    "created": created,
                    "pupils": batch.kind == ImportKind.PUPILS,
                },
            )
    else:
        report = batches.check_batch(batch, importer) if not batch.applied_at else None
    return render(request, "accounts/import_preview.html", {"batch": batch, "report": report})


@login_required
def pupils(request):
    school = access.teaching_school(request.user)
    members = Membership.objects.of(school).filter(role=Role.LEARNER).with_people()
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    controlled = set(
        Membership.objects.controlled_by(school)
        .filter(pk__in=[m.pk for m in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "accounts/pupils.html",
        {"school": school, "members_page": page, "controlled": controlled},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pupil_new(request):
    school = access.require_verified(access.teaching_school(request.user))
    form = PupilForm(request.POST or None, school=school)
    if request.method == "POST" and form.is_valid():
        created = services.create_pupils(
            school, [(form.cleaned_data["real_name"], form.cleaned_data["pupil_number"])]
        )
        return render(request, "accounts/pupil_credentials.html", {"created": created})
    return render(request, "accounts/pupil_new.html", {"form": form, "school": school})


@login_required
@require_http_methods(["GET", "POST"])
def pupil_reset_password(request, membership_id):
    school = access.require_verified(access.teaching_school(request.user))
    membership = access.controlled_pupil(school, membership_id)
    if request.method == "POST":
        password = services.reset_pupil_password(membership)
        created = [
            {
                "real_name": membership.user.real_name,
                "username": membership.user.username,
                "password": password,
            }
        ]
        return render(request, "accounts/pupil_credentials.html", {"created": created})
    return render(request, "accounts/pupil_reset.html", {"membership": membership})


@login_required
@require_http_methods(["GET", "POST"])
def pupil_delete(request, membership_id):
    school = access.require_verified(access.teaching_school(request.user))
    membership = access.controlled_pupil(school, membership_id)
    if request.method == "POST":
        name = str(membership.user)
        services.delete_account(membership.user)
        messages.success(
            request,
            _("The account of %(name)s and its personal data are deleted.") % {"name": name},
        )
        return redirect("pupils")
    return render(request, "accounts/pupil_delete.html", {"membership": membership})
