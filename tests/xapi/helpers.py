"""A learner's whole journey through a course, driven through the platform's own services and
pages: enrol, open and complete the lessons, fail the final quiz, pass it, complete the
course and receive its certificate."""

from courses import services as learning
from courses.models import CoursePage, EnrolmentSource, LessonPage, QuizPage
from courses.package.services import import_packages
from courses.quiz import attempts
from tests.factories import package_dict, write_package

# One question of each gradable type, in a fixed order (no shuffle), so that right and
# wrong answers can be given by index.
JOURNEY_GIFT = """\
::q-single:: 我国法定计量单位以哪一种单位制为基础？ {=国际单位制 ~市制 ~英制}

::q-multi:: 下列哪些是国际单位制基本单位？ {~%50%千克 ~%50%米 ~%-100%斤}

::q-tf:: 质量的国际单位制基本单位是千克。 {T}

::q-short:: 长度的国际单位制基本单位是什么？ {=米}

::q-num:: 1 千克等于多少克？ {#1000}

::q-match:: 把量和它的单位配对。 {=质量 -> 千克 =长度 -> 米 =时间 -> 秒}
"""

RIGHT = {
    "q-single": 0,
    "q-multi": [0, 1],
    "q-tf": True,
    "q-short": "米",
    "q-num": "1000",
    "q-match": {"0": "千克", "1": "米", "2": "秒"},
}
WRONG = {
    "q-single": 2,
    "q-multi": [2],
    "q-tf": False,
    "q-short": "斤",
    "q-num": "10",
    "q-match": {"0": "米", "1": "千克", "2": "秒"},
}


def journey_course(tmp_path, slug="xapi-journey"):
    data = package_dict(slug=slug, lessons=2, title="计量基础与单位")
    data["units"].append(
        {
            "quiz": "final",
            "title": "结业测验",
            "pass_mark": 80,
            "shuffle": False,
            "gift": JOURNEY_GIFT,
        }
    )
    import_packages([write_package(tmp_path, data)])
    course = CoursePage.objects.get(slug=slug)
    return (
        course,
        list(LessonPage.objects.child_of(course).live().order_by("path")),
        (QuizPage.objects.child_of(course).get()),
    )


def take_quiz(user, quiz, answers):
    attempt = attempts.start_attempt(user, quiz)
    for key, answer in answers.items():
        attempts.save_answer(attempt, key, answer, 0)
    return attempts.submit_attempt(attempt)


def walk(client, user, course, lessons, quiz, *, source=EnrolmentSource.SELF, organisation=None):
    """The journey; lessons are opened as pages, the way a learner opens them."""
    enrolment = learning.enrol(user, course, source=source, organisation=organisation)
    client.force_login(user)
    for lesson in lessons:
        assert client.get(lesson.url).status_code == 200
        enrolment = learning.complete_lesson(enrolment, lesson)
    failed = take_quiz(user, quiz, WRONG)
    passed = take_quiz(user, quiz, RIGHT)
    return enrolment, failed, passed
