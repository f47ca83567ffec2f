"""Open data: training per district and subject, anonymised.

Any figure drawn from fewer than MIN_GROUP people is withheld (null), and a group with fewer
than MIN_GROUP learners is withheld whole, so no row can be traced to a person. The summary
is recomputed whenever enrolments or certificates change (a version number in the cache).

Every record counts in the district stored on its enrolment (courses/districts.py):
organisation-set training where the organisation is registered, the rest where the learner
lives. The JSON, the CSV and the public page all read the same cached summary.
"""

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import timezone, translation

from accounts.models import District
from certificates.models import Certificate
from courses.models import Enrolment, Subject

MIN_GROUP = 5
VERSION_KEY = "open-data:version"
FIELDS = ["learners", "completions", "training_hours", "certificates"]


def bump_version(**kwargs):
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def published(year=None):
    """{"rows": the summary rows, "computed_at": when they were computed (aware)}."""
    version = cache.get_or_set(VERSION_KEY, 1, timeout=None)
    key = f"open-data:published:{year or 'all'}:{version}"
    value = cache.get(key)
    if value is None:
        value = {"rows": _compute(year), "computed_at": timezone.now()}
        cache.set(key, value, timeout=24 * 3600)
    return value


def summary(year=None):
    return published(year)["rows"]


def _compute(year):
    # Each record counts in the district stored on its enrolment (courses/districts.py).
    enrolments = Enrolment.objects.exclude(district="")
    certificates = Certificate.objects.current().exclude(enrolment__district="")
    certificates = certificates.exclude(enrolment__isnull=True)
    done = Q(completed_at__isnull=False)
    if year:
        enrolments = enrolments.filter(Q(enrolled_at__year=year) | Q(completed_at__year=year))
        certificates = certificates.filter(issued_at__year=year)
        done &= Q(completed_at__year=year)
    grouped = (
        enrolments.order_by()
        .values("district", subject=F("course__subjects__slug"))
        .annotate(
            learners=Count("user_id", distinct=True),
            completions=Count("pk", filter=done, distinct=True),
            training_hours=Sum("course__hours", filter=done),
        )
    )
    issued = {
        (row["district"], row["subject"]): row["n"]
        for row in certificates.order_by()
        .values(district=F("enrolment__district"), subject=F("course__subjects__slug"))
        .annotate(n=Count("pk", distinct=True))
    }
    # The district's name is part of the published format, in Chinese like subject_name:
    # the summary is cached for every visitor, whatever language computed it.
    with translation.override("zh-hans"):
        districts = {code: str(name) for code, name in District.choices}
    subjects = {s.slug: (s.name, s.name_en) for s in Subject.objects.all()}
    rows = []
    for row in grouped:
        if row["subject"] is None:
            continue
        whole = row["learners"] >= MIN_GROUP
        certificates_n = issued.get((row["district"], row["subject"]), 0)
        values = {
            "learners": row["learners"],
            "completions": row["completions"],
            "training_hours": float(row["training_hours"] or 0),
            "certificates": certificates_n,
        }
        for field in FIELDS:
            people = values[field] if field != "training_hours" else row["completions"]
            if not whole or 0 < people < MIN_GROUP:
                values[field] = None
        name, name_en = subjects.get(row["subject"], (row["subject"], row["subject"]))
        rows.append(
            {
                "district_code": row["district"],
                "district": str(districts.get(row["district"], row["district"])),
                "subject": row["subject"],
                "subject_name": name,
                "subject_name_en": name_en,
                **values,
            }
        )
    rows.sort(key=lambda r: (r["district_code"], r["subject"]))
    return rows
