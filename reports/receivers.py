from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certificates.models import Certificate
from courses.models import Enrolment
from reports.open_data import bump_version


@receiver(post_save, sender=Enrolment)
@receiver(post_delete, sender=Enrolment)
@receiver(post_save, sender=Certificate)
@receiver(post_delete, sender=Certificate)
def open_data_changed(sender, **kwargs):
    bump_version()
