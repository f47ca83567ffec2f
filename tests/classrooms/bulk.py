"""A class of any size with varied learning records, built in bulk (for query counts and the
benchmark in bench/class_report.py)."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Membership, Role, User
from classrooms import services
from classrooms.models import Assignment, AssignmentAudience, ClassPupil
from courses.models import AttemptStatus, CoursePage, Enrolment, QuizAttempt, QuizPage
from tests.classrooms.helpers import make_class, make_school, make_teacher


def build_class(pupils, units, tag="bulk"):
    """A class of ``pupils`` with ``units`` assignments (alternately a whole course and one
    quiz of the demo catalog). The first goes to a group, the second to chosen pupils, the
    rest to the class; some are overdue. Returns (teacher, classroom)."""
    school = make_school(f"{tag}学校")
    teacher = make_teacher(school, real_name="周老师")
    classroom = make_class(school, teacher, name=f"{tag}班")
    users = User.objects.bulk_create(
        User(username=f"{tag}-{n}", real_name=f"学生{n:03d}", password="!") for n in range(pupils)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=school, role=Role.LEARNER) for u in users
    )
    ClassPupil.objects.bulk_create(ClassPupil(classroom=classroom, user=u) for u in users)
    group = services.save_group(classroom, name="小组", members=users[::2])

    courses = list(CoursePage.objects.live().order_by("path"))
    quizzes = {q.get_parent().pk: q for q in QuizPage.objects.live()}
    now = timezone.now()
    assignments = []
    for n in range(units):
        course = courses[(n // 2) % len(courses)]
        quiz = quizzes[course.pk] if n % 2 else None
        audience = [AssignmentAudience.GROUP, AssignmentAudience.LEARNERS][n] if n < 2 else "class"
        assignment = Assignment.objects.create(
            organisation=school,
            classroom=classroom,
            course=course,
            quiz=quiz,
            audience=audience,
            group=group if audience == AssignmentAudience.GROUP else None,
            opens_at=now - timedelta(days=10),
            due_at=now + timedelta(days=(n % 3) - 1),  # a third of them already overdue
        )
        if audience == AssignmentAudience.LEARNERS:
            assignment.recipients.set(users[1::2])
        assignments.append(assignment)

    enrolments, attempts = {}, []
    for i, user in enumerate(users):
        for n, a in enumerate(assignments):
            kind = (i + n) % 5  # 0 nothing, 1 started, 2 half, 3 done/passed, 4 failed
            if kind == 0:
                continue
            enrolments.setdefault(
                (user.pk, a.course_id),
                Enrolment(
                    user=user,
                    course_id=a.course_id,
                    progress=[0, 10, 50, 100, 60][kind],
                    last_activity_at=now,
                    completed_at=now if kind == 3 else None,
                ),
            )
            if a.quiz_id and kind >= 2:
                passed = kind == 3
                attempts.append(
                    QuizAttempt(
                        user=user,
                        quiz_id=a.quiz_id,
                        number=1,
                        status=AttemptStatus.FINISHED,
                        submitted_at=now,
                        score=Decimal(90 if passed else 40),
                        passed=passed,
                        snapshot={"pass_mark": 60, "items": []},
                    )
                )
    Enrolment.objects.bulk_create(enrolments.values())
    QuizAttempt.objects.bulk_create(attempts)
    return teacher, classroom
