from datetime import timedelta

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import audiences
from accounts.models import (
    District,
    Industry,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    Role,
    User,
)
from accounts.validators import normalise_credit_code, normalise_name, validate_real_name

INVITE_CODE_LENGTH = 12


class LoginForm(AllauthLoginForm):
    """allauth's sign-in, except that pupils, who have no e-mail address (their teacher made
    the account), are not asked to verify one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail or username")
        self.fields["login"].widget.attrs["placeholder"] = ""

    def login(self, request, redirect_url=None):
        login = getattr(self, "_login", None)
        if login is not None and not self.user.email:
            login.email_verification = EmailVerificationMethod.NONE
        return super().login(request, redirect_url)


class AudienceChoiceField(forms.ChoiceField):
    """The catalog's audiences, by slug, read when the form is built."""

    def __init__(self, **kwargs):
        super().__init__(choices=self.audience_choices, **kwargs)

    @staticmethod
    def audience_choices():
        return [("", _("Choose…")), *audiences.choices()]


class ProfileFieldsMixin(forms.Form):
    real_name = forms.CharField(
        label=_("Real name"),
        max_length=60,
        validators=[validate_real_name],
        help_text=_("As it should appear on your certificates, e.g. 张三 or 阿卜杜拉·艾力."),
    )
    audience = AudienceChoiceField(label=_("I am"), required=False)
    district = forms.ChoiceField(
        label=_("District"),
        choices=[("", _("Choose…")), *District.choices],
        required=False,
    )

    def clean_real_name(self):
        return normalise_name(self.cleaned_data["real_name"])


class SignupProfileForm(ProfileFieldsMixin):
    """The fields allauth's sign-up form adds for us: profile and an optional invitation."""

    invite_code = forms.CharField(
        label=_("Invitation code (optional)"),
        max_length=INVITE_CODE_LENGTH,
        required=False,
        help_text=_("If your employer or school gave you a code, enter it to join them."),
    )

    def clean_invite_code(self):
        code = self.cleaned_data.get("invite_code", "").strip().upper()
        if code and not Organisation.objects.filter(invite_code=code, joining_open=True).exists():
            raise forms.ValidationError(
                _(
                    "No organisation accepts this invitation code. Check it with whoever gave it "
                    "to you, or leave the field empty."
                )
            )
        return code

    def signup(self, request, user):
        from accounts.services import join_organisation

        user.real_name = self.cleaned_data["real_name"]
        user.audience = self.cleaned_data.get("audience") or ""
        user.district = self.cleaned_data.get("district") or ""
        user.save(update_fields=["real_name", "audience", "district"])
        if self.cleaned_data.get("invite_code"):
            join_organisation(user, self.cleaned_data["invite_code"])


class ProfileForm(forms.ModelForm):
    audience = AudienceChoiceField(label=_("I am"), required=False)

    class Meta:
        model = User
        fields = ["real_name", "audience", "district"]

    def clean_real_name(self):
        return normalise_name(self.cleaned_data["real_name"])


class OrganisationForm(forms.ModelForm):
    kind = forms.ChoiceField(
        choices=OrganisationKind.choices,
        label=_("Kind"),
        widget=forms.RadioSelect,
        initial=OrganisationKind.ENTERPRISE,
    )
    industry = forms.ChoiceField(
        choices=[("", _("Choose…")), *Industry.choices], label=_("Industry"), required=False
    )
    size = forms.ChoiceField(
        choices=[("", _("Choose…")), *OrganisationSize.choices], label=_("Size"), required=False
    )

    class Meta:
        model = Organisation
        fields = ["kind", "name", "credit_code", "district", "industry", "size"]
        help_texts = {"credit_code": _("18 characters, printed on the business licence.")}

    def clean_credit_code(self):
        code = normalise_credit_code(self.cleaned_data.get("credit_code"))
        if code and Organisation.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _(
                    "An organisation with this credit code is already registered. Ask its "
                    "training manager for the invitation code."
                )
            )
        return code

    def clean(self):
        data = super().clean()
        if data.get("kind") == OrganisationKind.ENTERPRISE:
            for name in ("credit_code", "industry", "size"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Enterprises must give this."))
        return data


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=INVITE_CODE_LENGTH)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        organisation = Organisation.objects.filter(invite_code=code, joining_open=True).first()
        if organisation is None:
            raise forms.ValidationError(_("This invitation code is not valid or has been closed."))
        self.organisation = organisation
        return code


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.CharField(label=_("Department"), max_length=60, required=False)
    staff_number = forms.CharField(label=_("Staff or pupil number"), max_length=30, required=False)

    def __init__(self, *args, organisation, membership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.membership = membership
        if not organisation.is_school:
            self.fields["role"].choices = [
                (Role.LEARNER, Role.LEARNER.label),
                (Role.MANAGER, Role.MANAGER.label),
            ]

    def clean_staff_number(self):
        number = self.cleaned_data["staff_number"].strip()
        others = self.organisation.memberships.filter(staff_number=number)
        if self.membership is not None:
            others = others.exclude(pk=self.membership.pk)
        if number and others.exists():
            raise forms.ValidationError(_("Another member already has this number."))
        return number


class PupilForm(forms.Form):
    real_name = forms.CharField(
        label=_("Pupil's name"), max_length=60, validators=[validate_real_name]
    )
    pupil_number = forms.RegexField(
        label=_("Pupil number"),
        max_length=30,
        regex=r"^[A-Za-z0-9-]+$",
        error_messages={"invalid": _("Use letters, digits and hyphens only.")},
    )

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_real_name(self):
        return normalise_name(self.cleaned_data["real_name"])

    def clean_pupil_number(self):
        number = self.cleaned_data["pupil_number"]
        if self.school.memberships.filter(staff_number=number).exists():
            raise forms.ValidationError(_("A pupil with this number already has an account."))
        return number


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_("The first row holds the column names."),
    )

    MAX_BYTES = 5 * 1024 * 1024

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_FILES_PER_DAY
        since = timezone.now() - timedelta(days=1)
        if self.organisation.import_batches.filter(created_at__gte=since).count() >= limit:
            raise forms.ValidationError(
                _(
                    "Your organisation has uploaded %(limit)d files in the last 24 hours, the "
                    "most allowed. Try again tomorrow, or ask the platform's administrators."
                )
                % {"limit": limit}
            )
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Please upload a .csv or .xlsx file."))
        return upload


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Type DELETE to confirm"),
        max_length=10,
        help_text=_("This cannot be undone."),
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() not in {"DELETE", "删除"}:
            raise forms.ValidationError(_("Type DELETE (or 删除) to confirm."))
        return self.cleaned_data["confirm"]
