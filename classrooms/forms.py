from datetime import timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import PEOPLE_ROLES, Role
from classrooms.models import AssignmentAudience, ClassGroup
from classrooms.models.assignment import CLASS_AUDIENCES
from classrooms.models.classroom import JOIN_CODE_LENGTH
from courses.models import GradeBand, QuizPage
from serving.widgets import DateTimeInput

GRADES_IN_BAND = {GradeBand.PRIMARY: 6, GradeBand.JUNIOR: 3, GradeBand.SENIOR: 3}


def grade_choices():
    # A callable, so each form shows the language of its own request: built at import, the
    # labels would stay in whichever language the process happened to start with.
    return [(n, _("Year %(n)d") % {"n": n}) for n in range(1, 7)]


class PupilChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("%(value)s is not a pupil of this class."),
    }

    def label_from_instance(self, obj):
        return obj.real_name or obj.username


class ClassroomForm(forms.Form):
    name = forms.CharField(label=_("Class name"), max_length=60, help_text=_("e.g. 初二（3）班"))
    grade_band = forms.ChoiceField(label=_("Stage"), choices=GradeBand.choices)
    grade = forms.TypedChoiceField(
        label=_("Grade"),
        coerce=int,
        choices=grade_choices,
        help_text=_("Years 1–6 in primary school, 1–3 in junior and senior secondary."),
    )
    school_year = forms.IntegerField(
        label=_("School year starting in"), min_value=2000, max_value=2100
    )

    def __init__(self, *args, school, classroom=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.school, self.classroom = school, classroom
        if not self.is_bound and classroom is None:
            today = timezone.localdate()
            self.initial.setdefault(
                "school_year", today.year if today.month >= 8 else today.year - 1
            )

    def clean(self):
        data = super().clean()
        band, grade = data.get("grade_band"), data.get("grade")
        if band and grade and grade > GRADES_IN_BAND[band]:
            self.add_error(
                "grade",
                _("%(stage)s has years 1 to %(n)d.")
                % {"stage": GradeBand(band).label, "n": GRADES_IN_BAND[band]},
            )
        name, year = data.get("name"), data.get("school_year")
        if name and year:
            others = self.school.classrooms.filter(name=name, school_year=year)
            if self.classroom is not None:
                others = others.exclude(pk=self.classroom.pk)
            if others.exists():
                self.add_error("name", _("The school already has a class of this name this year."))
        return data


class CoTeacherForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Teachers of the school"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__organisation=classroom.school,
                memberships__role__in=PEOPLE_ROLES,
            )
            .exclude(classrooms_taught=classroom)
            .order_by("name_key", "username")
        )
        self.fields["teachers"].label_from_instance = lambda u: u.real_name or u.username


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Class code"),
        max_length=JOIN_CODE_LENGTH + 6,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_code(self):
        return self.cleaned_data["code"].strip().replace(" ", "").upper()


class SchoolPupilsForm(forms.Form):
    """Pupils of the school who are not yet in the class."""

    pupils = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Pupils of the school"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("%(value)s is not a pupil of this school.")},
    )

    def __init__(self, *args, classroom, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = (
            get_user_model()
            .objects.filter(
                memberships__organisation=classroom.school, memberships__role=Role.LEARNER
            )
            .exclude(class_places__classroom=classroom)
            .order_by("name_key", "username")
        )
        self.fields["pupils"].label_from_instance = lambda u: f"{u.real_name}（{u.username}）"


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group name"), max_length=60)
    members = PupilChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Pupils"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, classroom, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.classroom, self.group = classroom, group
        self.fields["members"].queryset = class_pupils(classroom)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = ClassGroup.objects.filter(classroom=self.classroom, name=name)
        if self.group is not None:
            others = others.exclude(pk=self.group.pk)
        if others.exists():
            raise forms.ValidationError(_("This class already has a group of this name."))
        return name


def class_pupils(classroom):
    return (
        get_user_model()
        .objects.filter(class_places__classroom=classroom)
        .order_by("name_key", "username")
    )


class AssignmentForm(forms.Form):
    unit = forms.ChoiceField(label=_("What to assign"), widget=forms.RadioSelect)
    audience = forms.ChoiceField(
        label=_("For"),
        choices=[(a.value, a.label) for a in CLASS_AUDIENCES],
        initial=AssignmentAudience.CLASS,
        widget=forms.RadioSelect,
    )
    group = forms.ModelChoiceField(
        queryset=ClassGroup.objects.none(),
        label=_("Group"),
        required=False,
        widget=forms.Select(attrs={"data-shown-when": f"audience:{AssignmentAudience.GROUP}"}),
    )
    recipients = PupilChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("Chosen pupils"),
        required=False,
        widget=forms.CheckboxSelectMultiple(
            attrs={"data-shown-when": f"audience:{AssignmentAudience.LEARNERS}"}
        ),
    )
    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeInput())
    due_at = forms.DateTimeField(label=_("Due"), widget=DateTimeInput())

    def __init__(self, *args, classroom, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.classroom, self.course = classroom, course
        self.quizzes = {str(q.pk): q for q in QuizPage.objects.of_course(course).public()}
        self.fields["unit"].choices = [("course", _("The whole course"))] + [
            (pk, _("Only the quiz “%(title)s”") % {"title": q.title})
            for pk, q in self.quizzes.items()
        ]
        self.fields["unit"].initial = "course"
        self.fields["group"].queryset = classroom.groups.all()
        self.fields["recipients"].queryset = class_pupils(classroom)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("opens_at", now)
            self.initial.setdefault("due_at", (now + timedelta(days=7)).replace(hour=22, minute=0))

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", _("The due date must be after the opening date."))
        audience = data.get("audience")
        if audience == AssignmentAudience.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the group."))
        if (
            audience == AssignmentAudience.LEARNERS
            and not data.get("recipients")
            and "recipients" not in self.errors
        ):
            self.add_error("recipients", _("Choose at least one pupil."))
        unit = data.get("unit")
        data["quiz"] = self.quizzes.get(unit) if unit and unit != "course" else None
        return data


class AssignmentDatesForm(forms.Form):
    """New dates for an assignment, checked like a new one's (due after it opens)."""

    opens_at = forms.DateTimeField(label=_("Opens"), widget=DateTimeInput())
    due_at = forms.DateTimeField(label=_("Due"), widget=DateTimeInput())

    def clean(self):
        data = super().clean()
        opens, due = data.get("opens_at"), data.get("due_at")
        if opens and due and due <= opens:
            self.add_error("due_at", _("The due date must be after the opening date."))
        return data


def dates_form(assignment, data=None):
    return AssignmentDatesForm(
        data,
        prefix="dates",
        initial={
            "opens_at": timezone.localtime(assignment.opens_at),
            "due_at": timezone.localtime(assignment.due_at),
        },
    )
