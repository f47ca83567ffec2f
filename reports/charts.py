"""Small SVG bar charts drawn on the server: no script, no build step, readable by a screen
reader through their title and the table printed beside them."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = 22
GAP = 8
LABEL_WIDTH = 150
CHART_WIDTH = 640


def _number(value):
    return f"{value:,.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def horizontal_bars(
    rows,
    value_key,
    title,
    label_key="label",
    limit=20,
    missing=None,
    width=CHART_WIDTH,
    label_width=LABEL_WIDTH,
    label_chars=11,
):
    """One bar per row, longest first as given; values printed at the bar's end.

    Rows without a value are left out, or, given a ``missing`` marker, kept in their place
    with the marker instead of a bar (a withheld figure is not a zero). A narrower ``width``
    keeps the text legible where the chart is scaled down to a phone's screen.
    """
    rows = [row for row in rows if missing is not None or row.get(value_key) is not None]
    rows = rows[:limit]
    if not rows:
        return ""
    top = max((float(row[value_key] or 0) for row in rows), default=0) or 1.0
    span = width - label_width - 70
    height = len(rows) * (BAR + GAP) + GAP
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for index, row in enumerate(rows):
        y = GAP + index * (BAR + GAP)
        value = row[value_key]
        label = str(row[label_key])
        short = label if len(label) <= label_chars else label[: label_chars - 1] + "…"
        if value is None:
            parts.append(
                f'<text x="{label_width - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
                f'class="chart-label">{escape(short)}</text>'
                f'<text x="{label_width + 6}" y="{y + BAR * 0.7:.1f}" class="chart-value">'
                f"<title>{escape(label)}: {escape(missing)}</title>{escape(missing)}</text>"
            )
            continue
        bar = max(1.0, span * float(value) / top)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + BAR * 0.7:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(short)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{bar:.1f}" height="{BAR}" rx="3" '
            f'class="chart-bar"><title>{escape(label)}: {escape(_number(value))}</title></rect>'
            f'<text x="{label_width + bar + 6:.1f}" y="{y + BAR * 0.7:.1f}" '
            f'class="chart-value">{escape(_number(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped


def columns(points, title):
    """A trend: one column per period (month), labels under every third column."""
    if not points:
        return ""
    top = max(point["value"] for point in points) or 1
    width, plot = CHART_WIDTH, 180
    step = (width - 40) / len(points)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {plot + 40}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="30" y1="{plot}" x2="{width}" y2="{plot}" class="chart-axis"/>',
        f'<text x="26" y="14" text-anchor="end" class="chart-value">{top:,}</text>',
    ]
    for index, point in enumerate(points):
        x = 34 + index * step
        h = plot * point["value"] / top
        parts.append(
            f'<rect x="{x:.1f}" y="{plot - h:.1f}" width="{max(step - 4, 2):.1f}" '
            f'height="{h:.1f}" class="chart-bar"><title>{escape(point["label"])}: '
            f"{point['value']:,}</title></rect>"
        )
        if index % 3 == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{plot + 18}" class="chart-label">'
                f"{escape(point['label'])}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text above is escaped
