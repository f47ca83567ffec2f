"""Who may see which class. A teacher finds only the classes they teach, a pupil only the
classes they sit in; any other id is simply not found (404)."""

from django.http import Http404

from classrooms.models import Assignment, Classroom


def taught_classroom(user, classroom_id):
    classroom = (
        Classroom.objects.taught_by(user).select_related("school").filter(pk=classroom_id).first()
    )
    if classroom is None:
        raise Http404
    return classroom


def attended_classroom(user, classroom_id):
    classroom = (
        Classroom.objects.attended_by(user).select_related("school").filter(pk=classroom_id).first()
    )
    if classroom is None:
        raise Http404
    return classroom


def class_assignment(classroom, assignment_id):
    assignment = (
        Assignment.objects.of_classroom(classroom)
        .select_related("course", "quiz", "group")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def class_pupil(classroom, user_id):
    pupil = classroom.pupils.select_related("user").filter(user_id=user_id).first()
    if pupil is None:
        raise Http404
    return pupil.user
