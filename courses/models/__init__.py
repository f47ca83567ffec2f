from .learning import (
    AttemptStatus,
    Enrolment,
    EnrolmentSource,
    LessonProgress,
    QuizAttempt,
    Response,
    UnitResult,
)
from .pages import CourseIndexPage, CoursePage, LessonPage
from .quiz import BankQuestion, QuestionBank, QuizPage, ReviewPolicy
from .taxonomy import Audience, GradeBand, Subject

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
    "UnitResult",
]
