"""Where a learning event happens: the learner's enrolment (xAPI's registration) and, for
training set by a class or an employer, the assignment that set it (context grouping).

Read from outside: courses records only whether an enrolment came from a class or an
organisation; the assignment is the one reaching the learner for that course, found in
classrooms' own queries, the latest opened first.
"""

from dataclasses import dataclass, field

from classrooms.models import Assignment
from courses.models import EnrolmentSource
from xapi import identity


@dataclass
class Setting:
    registration: str | None = None
    grouping: list = field(default_factory=list)
    extensions: dict = field(default_factory=dict)


def extension(name):
    return f"{identity.home_page()}/xapi/extensions/{name}"


def activity_type(name):
    return f"{identity.home_page()}/xapi/activity-types/{name}"


def _assignment(enrolment):
    if enrolment.source == EnrolmentSource.CLASS:
        found = Assignment.objects.addressed_to(enrolment.user_id)
    elif enrolment.source == EnrolmentSource.ORGANISATION:
        found = Assignment.objects.for_staff(enrolment.user_id)
    else:
        return None
    return (
        found.filter(course_id=enrolment.course_id)
        .select_related("organisation", "classroom", "course", "quiz")
        .order_by("-opens_at", "-pk")
        .first()
    )


PLURALS = {"assignment": "assignments", "organisation": "organisations", "class": "classes"}


def _named(kind, pk, name):
    return {
        "objectType": "Activity",
        "id": f"{identity.home_page()}/xapi/{PLURALS[kind]}/{pk}",
        "definition": {"type": activity_type(kind), "name": {"zh-CN": name}},
    }


def setting_of(enrolment):
    if enrolment is None:
        return Setting()
    setting = Setting(registration=identity.registration(enrolment.pk))
    assignment = _assignment(enrolment)
    if assignment is None:
        return setting
    setting.grouping.append(_named("assignment", assignment.pk, assignment.title))
    setting.grouping.append(
        _named("organisation", assignment.organisation_id, assignment.organisation.name)
    )
    if assignment.classroom_id:
        setting.grouping.append(_named("class", assignment.classroom_id, assignment.classroom.name))
    setting.extensions[extension("assignment")] = {
        "source": enrolment.source,
        "due": assignment.due_at.isoformat(),
    }
    return setting
