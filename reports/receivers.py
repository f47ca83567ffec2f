from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.signals import personal_data_exported, personal_data_requested
from certificates.models import Certificate
from courses.models import Enrolment
from courses.signals import course_completed
from reports import exports
from reports.models import ExportRecord
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


@receiver(personal_data_exported)
def record_export(sender, user, what, parameters, rows=None, subjects=(), **kwargs):
    """Apps below reports (a teacher's class report) record their downloads through here."""
    exports.log(user, what, parameters, rows=rows, subjects=subjects)


@receiver(personal_data_requested)
def exports_in_personal_data(sender, user, **kwargs):
    def entry(record):
        return {
            "what": record.what,
            "at": record.at.isoformat(),
            "by": record.username,
            "parameters": record.parameters,
            "rows": record.rows,
        }

    return {
        # Downloads by others (a manager, a teacher, an administrator) that held this
        # person's data, and the downloads of other people's data this person made.
        "exports_including_me": [
            entry(r) for r in ExportRecord.objects.filter(subjects=user).order_by("at", "pk")
        ],
        "exports_made": [
            entry(r) for r in ExportRecord.objects.filter(user=user).order_by("at", "pk")
        ],
    }
