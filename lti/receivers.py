"""Receivers: grade passback on courses' learning events (lti.grades), and what a launched
person's account holds of their learning platform, in their data export
and gone with the account.

django-lti keeps the claims of each launch (name, e-mail, picture) on its LtiUser, whose
link to the account is set to null when the account goes: left alone, the platform's copy of
the person would outlive the account. Deleting it takes our PlatformAccount mark with it.
The grade links and their passbacks go with the account (cascade); the export lists them.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from lti_tool.models import LtiUser

from accounts.signals import account_deleting, personal_data_requested
from courses.models import AttemptStatus, QuizAttempt
from courses.signals import course_completed
from lti import grades, tasks
from lti.models import ScorePassback


@receiver(account_deleting)
def forget_platform_identities(sender, user, **kwargs):
    LtiUser.objects.filter(auth_user=user).delete()


@receiver(personal_data_requested)
def platform_identities(sender, user, **kwargs):
    passbacks = ScorePassback.objects.filter(link__user=user).select_related(
        "link__page", "link__registration"
    )
    return {
        "learning_platform_grades": [
            {
                "platform": row.link.registration.name,
                "page": row.link.page.title,
                "line_item": row.link.lineitem,
                "score": str(row.score_given),
                "out_of": str(row.score_maximum),
                "state": row.state,
                "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            }
            for row in passbacks.order_by("created_at")
        ],
        "learning_platform_identities": [
            {
                "platform": person.registration.name,
                "issuer": person.registration.issuer,
                "subject": person.sub,
                "name": person.name,
                "given_name": person.given_name,
                "family_name": person.family_name,
                "email": person.email,
                "first_launch": person.datetime_created.isoformat(),
            }
            for person in LtiUser.objects.filter(auth_user=user).select_related("registration")
        ],
    }


@receiver(course_completed)
def course_score(sender, enrolment, **kwargs):
    """A completed course is full marks: 100 of 100, the line item's maximum."""
    made = grades.record(
        enrolment.user_id,
        enrolment.course_id,
        f"course-completed:{enrolment.pk}",
        100,
        100,
        enrolment.completed_at or timezone.now(),
    )
    tasks.queue_after_commit(made)


@receiver(post_save, sender=QuizAttempt)
def quiz_score(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A quiz attempt's score (0 to 100) when it is graded: at submission, or when the last
    essay is marked. Graded twice, it is still one event: the first score is the one sent."""
    graded = (
        not raw
        and not created
        and update_fields is not None
        and "passed" in update_fields
        and instance.status == AttemptStatus.FINISHED
        and instance.score is not None
    )
    if not graded:
        return
    made = grades.record(
        instance.user_id,
        instance.quiz_id,
        f"quiz-attempt:{instance.pk}",
        instance.score,
        100,
        instance.submitted_at or timezone.now(),
    )
    tasks.queue_after_commit(made)
