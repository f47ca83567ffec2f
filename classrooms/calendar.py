"""Each learner's due dates as an iCalendar feed at a secret address they can renew."""

from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from classrooms.models import Assignment, CalendarFeed
from classrooms.models.notification import hash_token

# Past due dates stay in the calendar a while, so a learner sees what they missed.
KEEP_PAST = timedelta(days=30)


@transaction.atomic
def renew(user):
    """Give ``user`` a new secret token (the old address stops working); return the token."""
    token = CalendarFeed.new_token()
    CalendarFeed.objects.update_or_create(user=user, defaults={"token_hash": hash_token(token)})
    return token


def owner(token):
    """The user whose feed ``token`` opens, or None. The token is looked up by its hash, so
    neither the stored value nor the comparison tells anything about a wrong guess."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(token), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def due_dates(user, now=None):
    now = now or timezone.now()
    return list(
        Assignment.objects.addressed_to(user)
        .open_now(now)
        .filter(due_at__gte=now - KEEP_PAST)
        .exclude(classroom__archived_at__isnull=False)
        .select_related("course", "quiz", "organisation")
        .order_by("due_at", "pk")
    )


def feed(user, now=None):
    """The VCALENDAR text: one event at each open assignment's due time, in UTC."""
    # Loaded by the feed's own requests only: the rest of the site never needs it.
    from icalendar import Calendar, Event

    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    host = base.split("://", 1)[-1]
    calendar = Calendar.new(
        prodid=f"-//{host}//{settings.WAGTAIL_SITE_NAME}//ZH",
        name=_("Due dates · %(site)s") % {"site": settings.WAGTAIL_SITE_NAME},
    )
    for assignment in due_dates(user, now):
        due = assignment.due_at.astimezone(UTC)
        calendar.add_component(
            Event.new(
                uid=f"assignment-{assignment.pk}@{host}",
                summary=_("Due: %(title)s") % {"title": assignment.title},
                description=assignment.organisation.name,
                start=due,
                end=due,
                stamp=assignment.created_at,
                url=f"{base}/dashboard/",
            )
        )
    return calendar.to_ical()
