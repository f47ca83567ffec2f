from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from classrooms.models import AssignmentAudience
from courses.models import CoursePage
from serving.widgets import DateTimeInput

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
            (EVERYONE, _("All staff, including those who join later")),
            (DEPARTMENT, _("A department, including those who join it later")),
            (CHOSEN, _("Chosen people")),
        ],
        widget=forms.RadioSelect,
        initial=EVERYONE,
        help_text=_("Training managers are not included unless chosen by name."),
    )
    department = forms.ChoiceField(
        label=_("Department"),
        required=False,
        widget=forms.Select(attrs={"data-shown-when": f"to:{DEPARTMENT}"}),
    )
    members = StaffChoiceField(
        label=_("People"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-shown-when": f"to:{CHOSEN}"}),
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

    def audience(self):
        """Keyword arguments for training.assignments.assign: all staff and a department are
        kept as such (resolved when read, so later joiners are reached); chosen people by name.
        """
        data = self.cleaned_data
        if data["to"] == EVERYONE:
            return {"audience": AssignmentAudience.STAFF}
        if data["to"] == DEPARTMENT:
            return {"audience": AssignmentAudience.DEPARTMENT, "department": data["department"]}
        return {
            "audience": AssignmentAudience.LEARNERS,
            "user_ids": [m.user_id for m in data["members"]],
        }
