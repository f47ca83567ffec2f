from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.widgets import DateTimeInput
from courses.models import CoursePage

EVERYONE, DEPARTMENT, CHOSEN = "all", "department", "chosen"


class StaffChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("%(value)s is not a member of your organisation."),
    }

    def label_from_instance(self, obj):
        name = obj.user.real_name or obj.user.username
        return f"{name}（{obj.department}）" if obj.department else name


class StaffAssignmentForm(forms.Form):
    course = forms.ModelChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeInput())
    due_at = forms.DateTimeField(label=_("Due"), widget=DateTimeInput())
    to = forms.ChoiceField(
        label=_("For"),
        choices=[
            (EVERYONE, _("All staff")),
            (DEPARTMENT, _("A department")),
            (CHOSEN, _("Chosen people")),
        ],
        widget=forms.RadioSelect,
        initial=EVERYONE,
    )
    department = forms.ChoiceField(label=_("Department"), required=False)
    members = StaffChoiceField(
        label=_("People"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        # Only courses everyone may open: a private or unpublished page is nobody's to hand out.
        self.fields["course"].queryset = CoursePage.objects.live().public().order_by("title")
        staff = organisation.memberships.select_related("user").order_by("department", "pk")
        self.fields["members"].queryset = staff
        departments = sorted({m.department for m in staff if m.department})
        self.fields["department"].choices = [("", "—")] + [(d, d) for d in departments]
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now)
            self.initial.setdefault("due_at", now + timedelta(days=30))

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", _("The due date must be after the opening date."))
        to = data.get("to")
        if to == DEPARTMENT and not data.get("department"):
            self.add_error("department", _("Choose the department."))
        if to == CHOSEN and not data.get("members"):
            self.add_error("members", _("Choose at least one person."))
        return data

    def recipients(self):
        """The people the assignment reaches, resolved now (later joiners are not added)."""
        data = self.cleaned_data
        staff = self.organisation.memberships.all()
        if data["to"] == DEPARTMENT:
            staff = staff.filter(department=data["department"])
        elif data["to"] == CHOSEN:
            staff = staff.filter(pk__in=[m.pk for m in data["members"]])
        return list(staff.values_list("user_id", flat=True))
