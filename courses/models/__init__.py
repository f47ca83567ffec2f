from .learning import Enrolment, EnrolmentSource, LessonProgress
from .pages import CourseIndexPage, CoursePage, GradeBand, LessonPage
from .quiz import (
    AttemptStatus,
    BankQuestion,
    QuestionBank,
    QuizAttempt,
    QuizPage,
    Response,
    ReviewPolicy,
)
from .taxonomy import Audience, Subject

__all__ = [
    "AttemptStatus",
    "Audience",
    "BankQuestion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "EnrolmentSource",
    "GradeBand",
    "LessonPage",
    "LessonProgress",
    "QuestionBank",
    "QuizAttempt",
    "QuizPage",
    "Response",
    "ReviewPolicy",
    "Subject",
]
