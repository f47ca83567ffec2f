from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from reports import exports, open_data


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
