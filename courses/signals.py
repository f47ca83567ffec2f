from django.dispatch import Signal, receiver
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from courses.models import CoursePage, LessonPage

# Sent inside the transaction that records a course's completion, once per enrolment, with
# ``enrolment``. Certificates and classrooms listen; the learning engine imports neither.
course_completed = Signal()

# Sent when a learner first opens a lesson, with ``enrolment`` and ``lesson``, in the
# transaction that records the opening (the row is inserted with bulk_create, which sends no
# post_save). xapi listens.
lesson_opened = Signal()

# Sent when a learner's dashboard is shown, with ``user`` and ``now``. Receivers return None
# or a dict with ``template`` (included above the courses) and what that template reads;
# an optional ``order`` (default 50, smaller first) places it among the others.
dashboard_sections = Signal()


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def reindex_course(sender, instance, **kwargs):
    """A course is found by its lessons' text, so a lesson's change re-indexes its course."""
    course = CoursePage.objects.parent_of(instance).first()
    if course is not None:
        index.insert_or_update_object(course)
