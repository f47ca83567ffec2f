"""The public open-data page: the published summary laid out as a district by subject table.

It shows exactly the rows of the JSON and the CSV (the same cached summary) and adds no
figure of its own: a district's total over subjects would let anyone subtract the published
cells and recover a withheld one.
"""

from django.utils.translation import gettext_lazy as _

from accounts.models import District
from courses.models import Subject
from reports import open_data

MEASURES = {
    "learners": _("Learners"),
    "completions": _("Completions"),
    "training_hours": _("Training hours"),
    "certificates": _("Certificates"),
}
# How a withheld figure is shown on the page; the CSV leaves the cell empty, the JSON null.
WITHHELD = "—"


def districts_in_order():
    """The 16 districts in the official order: that of their administrative division codes."""
    return sorted(District.choices)


def number(value):
    if value is None:
        return WITHHELD
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}"


def layout(year, measure, subject=None):
    """The table, the chart's rows and the chosen subject for one year and measure.

    A district and subject without any row had no learner: its figures are 0, which reveals
    nobody. ``subject`` picks the subject the chart draws; by default the one with the most
    published learners.
    """
    summary = open_data.published(year)
    cells = {(row["district_code"], row["subject"]): row for row in summary["rows"]}
    subjects = list(Subject.objects.all())
    table = []
    for code, label in districts_in_order():
        values = [_value(cells.get((code, s.slug)), measure) for s in subjects]
        table.append({"code": code, "label": str(label), "cells": [number(v) for v in values]})
    slugs = [s.slug for s in subjects]
    if subject not in slugs:
        learners = {
            slug: sum(row["learners"] or 0 for row in summary["rows"] if row["subject"] == slug)
            for slug in slugs
        }
        subject = max(slugs, key=lambda slug: learners[slug]) if slugs else None
    chart_rows = [
        {"label": str(label), "value": _value(cells.get((code, subject)), measure)}
        for code, label in districts_in_order()
    ]
    return {
        "subjects": subjects,
        "table": table,
        "subject": next((s for s in subjects if s.slug == subject), None),
        "chart_rows": chart_rows,
        "computed_at": summary["computed_at"],
    }


def _value(row, measure):
    if row is None:
        return 0.0 if measure == "training_hours" else 0
    return row[measure]
