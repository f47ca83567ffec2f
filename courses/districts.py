"""Where a learning record counts: the district rule of the city's figures.

The city assesses its districts by the training given in them. Training an enterprise or a
school sets (a staff assignment, a class assignment) counts where that organisation is
registered; training a person takes up on their own counts in the district on their profile.
People without a district of their own (pupils created by a teacher, staff imported by a
manager) count in the district of their organisation, the one they joined first.

The district is settled once, when the enrolment is created, and stored on it: a year's
figure does not move when somebody later moves house or changes employer. Every report, the
open data and the city data generator group by that stored value.
"""

from accounts.models import Membership

ORGANISATION_SET = ("class", "organisation")


def first_organisation_district(user):
    """The district of the organisation ``user`` joined first, or "" if they belong to none."""
    return (
        Membership.objects.filter(user=user)
        .order_by("joined_at", "pk")
        .values_list("organisation__district", flat=True)
        .first()
        or ""
    )


def training_district(user, source, organisation=None):
    """The district an enrolment of ``user`` with ``source`` counts in (see the module).

    ``organisation`` is the enterprise or school that set the training, if it did; the
    learner's own district is read from ``user`` without a query, an organisation's costs one.
    """
    if source in ORGANISATION_SET:
        if organisation is not None and organisation.district:
            return organisation.district
        # Set by an organisation not named: the learner's (first) organisation is the best
        # guess of where the training happened.
        return first_organisation_district(user) or user.district
    return user.district or first_organisation_district(user)
