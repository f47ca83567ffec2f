from .pages import CourseIndexPage, CoursePage, GradeBand, LessonPage
from .taxonomy import Audience, Subject

__all__ = ["Audience", "CourseIndexPage", "CoursePage", "GradeBand", "LessonPage", "Subject"]
