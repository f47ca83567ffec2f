"""Writes of classes and assignments. Views call these; each is one transaction."""

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, OrganisationKind, Role
from classrooms import notifications
from classrooms.models import Assignment, AssignmentAudience, ClassGroup, ClassPupil, Classroom
from classrooms.models.classroom import new_join_code


class JoinError(Exception):
    def __init__(self, code):
        super().__init__(code)
        self.code = code


@transaction.atomic
def create_classroom(school, teacher, *, name, grade_band, grade, school_year):
    classroom = Classroom.objects.create(
        school=school, name=name, grade_band=grade_band, grade=grade, school_year=school_year
    )
    classroom.teachers.add(teacher)
    return classroom


@transaction.atomic
def update_classroom(classroom, *, name, grade_band, grade, school_year):
    classroom.name, classroom.grade_band = name, grade_band
    classroom.grade, classroom.school_year = grade, school_year
    classroom.save(update_fields=["name", "grade_band", "grade", "school_year"])
    return classroom


@transaction.atomic
def add_teachers(classroom, teachers):
    classroom.teachers.add(*teachers)


@transaction.atomic
def remove_teacher(classroom, teacher):
    """Remove a co-teacher; a class always keeps at least one teacher."""
    if classroom.teachers.exclude(pk=teacher.pk).exists():
        classroom.teachers.remove(teacher)
        return True
    return False


@transaction.atomic
def set_joining(classroom, open_):
    classroom.joining_open = open_
    classroom.save(update_fields=["joining_open"])


@transaction.atomic
def renew_join_code(classroom):
    classroom.join_code = new_join_code()
    classroom.save(update_fields=["join_code"])
    return classroom


PUPIL_AUDIENCE = "school"


def joins_as_outsider(user, school):
    """True when a class code should not make ``user`` a pupil of ``school``.

    Codes are for the school's pupils. Someone who is already a pupil of the school (the
    teacher added or imported them) always may join. Anyone else may not if they belong to an
    enterprise or hold a teacher's or manager's role anywhere, or if their own profile says
    they are an adult (an "I am" other than schools). Accounts without such ties, like a pupil's
    new account, join as before and become pupils of the school.
    """
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    if any(m.organisation_id == school.pk and m.role == Role.LEARNER for m in memberships):
        return False
    tied_elsewhere = any(
        m.organisation.kind == OrganisationKind.ENTERPRISE or m.role != Role.LEARNER
        for m in memberships
        if m.organisation_id != school.pk
    )
    adult = user.audience not in ("", PUPIL_AUDIENCE)
    return tied_elsewhere or adult


def join_classroom(user, code):
    """Put ``user`` in the class whose code this is; they become a pupil of its school.

    Raises JoinError("invalid") for an unknown, closed or archived class's code,
    JoinError("teacher") when the user teaches at that school, and JoinError("outsider") for
    someone the school's codes are not for (see ``joins_as_outsider``); nothing changes then.
    """
    with transaction.atomic():
        classroom = (
            Classroom.objects.select_for_update()
            .select_related("school")
            .filter(join_code=code.strip().upper(), joining_open=True, archived_at__isnull=True)
            .first()
        )
        if classroom is None:
            raise JoinError("invalid")
        membership = Membership.objects.filter(user=user, organisation=classroom.school).first()
        if membership is not None and membership.role != Role.LEARNER:
            raise JoinError("teacher")
        if joins_as_outsider(user, classroom.school):
            raise JoinError("outsider")
        if membership is None:
            Membership.objects.create(user=user, organisation=classroom.school, role=Role.LEARNER)
        ClassPupil.objects.get_or_create(classroom=classroom, user=user)
    return classroom


@transaction.atomic
def add_pupils(classroom, users):
    """Add pupils of the school to the class; those already in it stay as they are."""
    present = set(classroom.pupils.values_list("user_id", flat=True))
    ClassPupil.objects.bulk_create(
        ClassPupil(classroom=classroom, user=user) for user in users if user.pk not in present
    )


@transaction.atomic
def remove_pupil(classroom, user):
    """Take a pupil out of the class and its groups; their learning records stay theirs."""
    ClassPupil.objects.filter(classroom=classroom, user=user).delete()
    for group in classroom.groups.all():
        group.members.remove(user)


@transaction.atomic
def save_group(classroom, *, name, members, group=None):
    if group is None:
        group = ClassGroup.objects.create(classroom=classroom, name=name)
    else:
        group.name = name
        group.save(update_fields=["name"])
    group.members.set(members)
    return group


@transaction.atomic
def assign(classroom, teacher, *, course, quiz, opens_at, due_at, audience, group, recipients):
    """Set a course or one of its quizzes; the form has checked the pupils are in the class."""
    assignment = Assignment.objects.create(
        organisation=classroom.school,
        classroom=classroom,
        course=course,
        quiz=quiz,
        opens_at=opens_at,
        due_at=due_at,
        audience=audience,
        group=group if audience == AssignmentAudience.GROUP else None,
        created_by=teacher,
    )
    if audience == AssignmentAudience.LEARNERS:
        assignment.recipients.set(recipients)
    notifications.schedule(assignment)
    return assignment


@transaction.atomic
def set_assignment_dates(assignment, *, opens_at, due_at):
    """Move an assignment's dates (class or staff); the form has checked due after opens."""
    assignment.opens_at, assignment.due_at = opens_at, due_at
    assignment.save(update_fields=["opens_at", "due_at"])
    # Notices follow the new dates; one already sent is not sent again.
    notifications.schedule(assignment)
    return assignment


@transaction.atomic
def delete_assignment(assignment):
    """Withdraw an assignment; the pupils' learning records are untouched."""
    assignment.delete()


@transaction.atomic
def archive(classroom):
    """End of the school year: the class becomes read-only; nothing is deleted."""
    classroom.archived_at = timezone.now()
    classroom.joining_open = False
    classroom.save(update_fields=["archived_at", "joining_open"])


@transaction.atomic
def restore(classroom):
    classroom.archived_at = None
    classroom.save(update_fields=["archived_at"])
