from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from reports import charts, exports, queries
from reports.forms import PeriodForm
from reports.models import ExportRecord

can_read = permission_required("reports.view_reports", raise_exception=True)

FIGURE_COLUMNS = [
    ("label", gettext_lazy("Group")),
    ("learners", gettext_lazy("Learners")),
    ("enrolments", gettext_lazy("Enrolments")),
    ("completions", gettext_lazy("Completions")),
    ("hours", gettext_lazy("Training hours")),
    ("certificates", gettext_lazy("Certificates issued")),
    ("attempts", gettext_lazy("Quiz attempts")),
    ("pass_rate", gettext_lazy("Pass rate, per cent")),
]


def _period(request):
    form = PeriodForm(request.GET or None)
    return form, (form.cleaned_data if form.is_valid() else None)


@can_read
@require_GET
def index(request):
    form, period = _period(request)
    context = {"form": form}
    if period:
        rows = queries.figures(period["start"], period["end"], period["by"])
        most, least = queries.course_ranking(period["start"], period["end"])
        coverage = queries.small_enterprise_coverage(period["start"], period["end"])
        trend = queries.monthly_completions(period["start"], period["end"])
        context.update(
            rows=rows,
            by_label=queries.DIMENSIONS[period["by"]].label,
            totals={
                key: sum(row[key] for row in rows)
                for key in ("enrolments", "completions", "hours", "certificates")
            },
            completions_chart=charts.horizontal_bars(rows, "completions", _("Completions")),
            trend_chart=charts.columns(trend, _("Completions per month")),
            coverage=coverage,
            coverage_chart=charts.horizontal_bars(
                coverage, "share", _("Small and micro enterprises reached, per cent")
            ),
            most=most,
            least=least,
            query=request.GET.urlencode(),
        )
    return render(request, "reports/admin/index.html", context)


@permission_required("accounts.view_user", raise_exception=True)
@require_GET
def export_log(request):
    """Who downloaded personal data, when, and what: the latest 500 records."""
    records = ExportRecord.objects.order_by("-at")[:500]
    return render(request, "reports/admin/export_log.html", {"records": records})


@can_read
@require_GET
def export_figures(request, fmt):
    form, period = _period(request)
    if period is None:
        return render(request, "reports/admin/index.html", {"form": form}, status=400)
    rows = queries.figures(period["start"], period["end"], period["by"])
    header = [str(label) for _key, label in FIGURE_COLUMNS]
    body = (
        [row[key] if row[key] is not None else "" for key, _l in FIGURE_COLUMNS] for row in rows
    )
    name = f"figures-{period['by']}-{period['start']}-{period['end']}"
    return exports.download(fmt, name, header, body)


@permission_required("accounts.view_user", raise_exception=True)
@require_GET
def export_learners(request, fmt):
    """Personal data (names and records of each learner): administrators only, recorded."""
    form, period = _period(request)
    if period is None:
        return render(request, "reports/admin/index.html", {"form": form}, status=400)
    exports.record(
        request,
        f"learners.{fmt}",
        period,
        subjects=queries.learner_ids(period["start"], period["end"]),
    )
    header = [
        _("Username"),
        _("Name"),
        _("District where the training counts"),
        _("Enrolments"),
        _("Completions"),
        _("Training hours"),
    ]
    rows = queries.learner_rows(period["start"], period["end"])
    return exports.download(fmt, f"learners-{period['start']}-{period['end']}", header, rows)
