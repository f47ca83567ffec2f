"""The class report as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese) or XLSX,
written by the shared writer that neutralises formula cells."""

from django.utils.translation import gettext as _

from serving import spreadsheets


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
    return spreadsheets.csv_bytes(*report_table(report))


def as_xlsx(report):
    header, rows = report_table(report)
    return spreadsheets.xlsx_bytes(header, rows, title=_("Class report"))
