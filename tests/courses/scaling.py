"""One learner's world at a named size, for query counts that must not grow with data.

At every size the learner has finished a small course (lessons, a passed quiz and its
certificate), has one attempt open, is a pupil in a class and staff of an enterprise. A larger
size adds to that learner's own records (enrolments in demo courses, lesson progress,
attempts, certificates, class and staff assignments) and to everybody else's (other learners
in the same and other organisations, classmates, and their learning records), in bulk.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Membership, Role, User
from certificates.models import Certificate
from classrooms.models import Assignment, AssignmentAudience, ClassPupil
from courses import services
from courses.models import (
    AttemptStatus,
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
)
from courses.quiz import attempts
from tests.accounts.factories import add_member, make_organisation
from tests.classrooms.helpers import make_class, make_pupil, make_school, make_teacher
from tests.courses.learning_helpers import RIGHT, quiz_course


@dataclass(frozen=True)
class Size:
    courses: int  # demo courses the learner is also enrolled in
    attempts: int  # the learner's finished attempts per quiz, besides the measured ones
    assignments: int  # class (a course, then a quiz, ...) and as many staff assignments
    others: int  # other learners
    organisations: int  # other organisations they belong to


SIZES = {
    "XS": Size(courses=0, attempts=0, assignments=2, others=2, organisations=1),
    "M": Size(courses=4, attempts=2, assignments=6, others=40, organisations=4),
    "L": Size(courses=12, attempts=5, assignments=24, others=400, organisations=20),
}


@dataclass
class World:
    learner: User
    course: CoursePage
    lesson: LessonPage
    quiz: QuizPage
    finished: QuizAttempt
    open_attempt: QuizAttempt
    certificate: Certificate
    classroom_pk: int
    join_code: str

    @property
    def certificate_verify_url(self):
        return f"/certificates/verify/{self.certificate.code}/"


def build_world(size, tag, tmp_path):
    now = timezone.now()
    school = make_school(f"{tag}中学")
    teacher = make_teacher(school)
    classroom = make_class(school, teacher, name=f"{tag}班")
    other_class = make_class(school, teacher, name=f"{tag}二班")
    learner = make_pupil(school, classroom, real_name="李学员")
    enterprise = make_organisation(name=f"{tag}精密机械")
    add_member(enterprise, learner)

    course, quiz = quiz_course(tmp_path, slug=f"scale-{tag.lower()}")
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    enrolment = services.enrol(learner, course)
    for lesson in lessons:
        enrolment = services.complete_lesson(enrolment, lesson)
    _bulk_attempts(learner, [quiz], size.attempts, now)
    finished = attempts.start_attempt(learner, quiz)
    for key, answer in RIGHT.items():
        attempts.save_answer(finished, key, answer, 0)
    attempts.submit_attempt(finished)
    certificate = Certificate.objects.get(user=learner, course=course)
    if not certificate.pdf:  # rendering may be switched off; the download needs a file
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(b"%PDF-1.4\n"))
    open_attempt = attempts.start_attempt(learner, quiz)

    demo = list(CoursePage.objects.live().exclude(slug__startswith="scale-").order_by("path"))
    _own_records(learner, demo[: size.courses], size, now)
    _assignments(school, classroom, enterprise, learner, [course, *demo], size, now)
    _others(tag, [school, enterprise], classroom, [course, *demo], size, now)
    return World(
        learner=learner,
        course=course,
        lesson=lessons[0],
        quiz=quiz,
        finished=finished,
        open_attempt=open_attempt,
        certificate=certificate,
        classroom_pk=classroom.pk,
        join_code=other_class.join_code,
    )


def _quizzes(courses):
    # A unit's path is its course's path plus one step.
    paths = {c.path for c in courses}
    return [q for q in QuizPage.objects.live() if q.path[: -CoursePage.steplen] in paths]


def _bulk_attempts(user, quizzes, count, now, first_number=1):
    QuizAttempt.objects.bulk_create(
        QuizAttempt(
            user=user,
            quiz=q,
            number=first_number + n,
            status=AttemptStatus.FINISHED,
            submitted_at=now - timedelta(days=n + 1),
            score=Decimal(40 + 10 * n % 60),
            passed=n % 2 == 1,
            snapshot={"pass_mark": 60, "items": []},
        )
        for q in quizzes
        for n in range(count)
    )


def _enrol_completed(pairs, now):
    """Enrolments for (user, course, completed) with lesson progress and certificates."""
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            user=user,
            course=course,
            progress=100 if done else 50,
            last_activity_at=now,
            completed_at=now - timedelta(days=i % 300) if done else None,
        )
        for i, (user, course, done) in enumerate(pairs)
    )
    lessons = {}
    for lesson in LessonPage.objects.live().only("pk", "path"):
        lessons.setdefault(lesson.path[: -CoursePage.steplen], []).append(lesson)
    LessonProgress.objects.bulk_create(
        LessonProgress(user=e.user, lesson=lesson, completed_at=now)
        for e in enrolments
        for lesson in lessons.get(e.course.path, [])
    )
    Certificate.objects.bulk_create(
        Certificate(
            user=e.user,
            enrolment=e,
            course=e.course,
            number=f"T{e.pk:09d}",
            holder_name=e.user.real_name,
            course_title=e.course.title,
            hours=e.course.hours,
            completed_on=e.completed_at.date(),
            issuer_name="质量学堂",
        )
        for e in enrolments
        if e.completed_at
    )


def _own_records(learner, courses, size, now):
    _enrol_completed([(learner, c, n % 3 != 0) for n, c in enumerate(courses)], now)
    _bulk_attempts(learner, _quizzes(courses), size.attempts, now)


def _assignments(school, classroom, enterprise, learner, courses, size, now):
    quizzes = {q.path[: -CoursePage.steplen]: q for q in _quizzes(courses)}
    rows = []
    for n in range(size.assignments):
        course = courses[n % len(courses)]
        common = {
            "course": course,
            "opens_at": now - timedelta(days=5),
            "due_at": now + timedelta(days=(n % 4) - 1),  # some overdue
        }
        rows.append(
            Assignment(
                organisation=school,
                classroom=classroom,
                quiz=quizzes.get(course.path) if n % 2 else None,
                audience=AssignmentAudience.CLASS,
                **common,
            )
        )
        rows.append(
            Assignment(organisation=enterprise, audience=AssignmentAudience.LEARNERS, **common)
        )
    rows = Assignment.objects.bulk_create(rows)
    Assignment.recipients.through.objects.bulk_create(
        Assignment.recipients.through(assignment_id=a.pk, user_id=learner.pk)
        for a in rows
        if a.classroom_id is None
    )


def _others(tag, organisations, classroom, courses, size, now):
    organisations = organisations + [
        make_organisation(name=f"{tag}企业{n}") for n in range(size.organisations)
    ]
    users = User.objects.bulk_create(
        User(username=f"{tag}-other-{n}", real_name=f"学员{n:04d}", password="!")
        for n in range(size.others)
    )
    Membership.objects.bulk_create(
        Membership(user=u, organisation=organisations[n % len(organisations)], role=Role.LEARNER)
        for n, u in enumerate(users)
    )
    ClassPupil.objects.bulk_create(
        ClassPupil(classroom=classroom, user=u)
        for n, u in enumerate(users)
        if n % len(organisations) == 0
    )
    pairs = [
        (u, courses[(n + k) % len(courses)], k % 2 == 0)
        for n, u in enumerate(users)
        for k in range(min(3, len(courses)))
    ]
    _enrol_completed(pairs, now)
    quizzes = _quizzes(courses)
    for n, u in enumerate(users[:: max(1, len(users) // 50)]):
        _bulk_attempts(u, quizzes[n % len(quizzes) : n % len(quizzes) + 1], 2, now)
