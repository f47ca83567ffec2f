"""The class report as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) or XLSX."""

import csv
import io

from django.utils.translation import gettext as _


def report_table(report):
    """Header and rows: name, username, then status and score for each assignment."""
    header = [_("Name"), _("Username")]
    for a in report.assignments:
        header += [f"{a.title} · {_('Status')}", f"{a.title} · {_('Score')}"]
    header.append(_("Needs help"))
    rows = []
    for row in report.rows:
        line = [row.user.real_name, row.user.username]
        for cell in row.cells:
            if cell is None:
                line += ["", ""]
            else:
                label = str(cell.label)
                if cell.awaiting_grading:
                    label += f" ({_('awaiting grading')})"
                line += [label, "" if cell.score is None else round(cell.score, 1)]
        line.append(row.needs_help)
        rows.append(line)
    return header, rows


def as_csv(report):
    header, rows = report_table(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_safe(v) for v in line] for line in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(report):
    from openpyxl import Workbook

    header, rows = report_table(report)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Class report")[:31])
    sheet.append(header)
    for line in rows:
        sheet.append([_safe(v) for v in line])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _safe(value):
    # A name starting with = + - @ would run as a formula when the file is opened.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
