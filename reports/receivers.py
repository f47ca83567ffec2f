from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certificates.models import Certificate
from courses.models import Enrolment
from courses.signals import course_completed
from reports.open_data import bump_version

# Open data counts enrolments, completions and certificates. An enrolment is saved on every
# lesson visit, so only its creation, completion and deletion refresh the summary: the
# public aggregate is not recomputed for each page a learner reads.


@receiver(post_save, sender=Enrolment)
def enrolment_created(sender, created, **kwargs):
    if created:
        bump_version()


@receiver(course_completed)
@receiver(post_delete, sender=Enrolment)
@receiver(post_save, sender=Certificate)
@receiver(post_delete, sender=Certificate)
def open_data_changed(sender, **kwargs):
    bump_version()
