from django.dispatch import receiver
from wagtail.search import index
from wagtail.signals import page_published, page_unpublished

from courses.models import CoursePage, LessonPage


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def reindex_course(sender, instance, **kwargs):
    """A course is found by its lessons' text, so a lesson's change re-indexes its course."""
    course = CoursePage.objects.parent_of(instance).first()
    if course is not None:
        index.insert_or_update_object(course)
