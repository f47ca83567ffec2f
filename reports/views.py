from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from reports import charts, exports, open_data, open_data_page
from reports.forms import OpenDataForm


def _year(request):
    value = request.GET.get("year", "")
    if not value:
        return None, None
    if value.isdigit() and 2015 <= int(value) <= timezone.localdate().year:
        return int(value), None
    return None, "year must be a whole number from 2015 to this year"


@require_GET
def summary_json(request):
    year, error = _year(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    return JsonResponse(
        {
            "description": "质量学堂培训情况（按区和专题汇总，少于 5 人的数字不公开）",
            "description_en": "Training by district and subject; figures from fewer than "
            f"{open_data.MIN_GROUP} people are withheld (null).",
            "year": year,
            "generated_at": timezone.now().isoformat(timespec="seconds"),
            "rows": open_data.summary(year),
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def summary_csv(request):
    year, error = _year(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    columns = ["district_code", "district", "subject", "subject_name", *open_data.FIELDS]
    rows = (["" if row[c] is None else row[c] for c in columns] for row in open_data.summary(year))
    return exports.csv_response(f"quality-academy-training-{year or 'all'}", columns, rows)


@require_GET
def open_data_index(request):
    """The public page: this year's (or a chosen year's) figures, chart and downloads."""
    form = OpenDataForm(request.GET)
    valid = form.is_valid()
    choice = form.cleaned_data if valid else form.defaults()
    year, measure = int(choice["year"]), choice["measure"]
    page = open_data_page.layout(year, measure, choice.get("subject") or None)
    measure_label = open_data_page.MEASURES[measure]
    chart = ""
    if page["subject"] is not None:
        chart = charts.horizontal_bars(
            page["chart_rows"],
            "value",
            _("%(measure)s in %(year)s by district: %(subject)s")
            % {"measure": measure_label, "year": year, "subject": page["subject"].label},
            missing=open_data_page.WITHHELD,
            # Narrow enough that its text stays legible scaled down to a phone.
            width=440,
            label_width=150,
            label_chars=19,
        )
    context = {
        **page,
        "form": form,
        "year": year,
        "measure_label": measure_label,
        "chart": chart,
        "min_group": open_data.MIN_GROUP,
        "withheld": open_data_page.WITHHELD,
    }
    return render(request, "reports/open_data.html", context, status=200 if valid else 400)
