"""Bulk import of staff and pupils from CSV or XLSX: check first, apply on confirmation.

``check`` never writes. It returns a report with an action or the errors for every row, so a
manager sees the whole file's problems at once. ``apply`` re-checks inside the transaction and
writes only when the whole file is clean; importing the same file twice creates nobody twice.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import services
from accounts.models import (
    District,
    Industry,
    Organisation,
    OrganisationKind,
    OrganisationSize,
    User,
    VerificationStatus,
)
from accounts.tables import parse, too_many_rows
from accounts.validators import (
    normalise_credit_code,
    normalise_name,
    validate_credit_code,
    validate_real_name,
)

# An administrator's organisation list may be long; staff and pupil files are bounded by
# settings.IMPORT_MAX_ROWS (TableImport.max_rows).
ORGANISATION_MAX_ROWS = 20_000


@dataclass
class Row:
    line: int
    values: dict
    errors: list = field(default_factory=list)
    action: str = ""  # create | unchanged


@dataclass
class Report:
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # about the file as a whole

    @property
    def error_rows(self):
        return [row for row in self.rows if row.errors]

    @property
    def ok(self):
        return not self.problems and not self.error_rows

    def count(self, action):
        return sum(1 for row in self.rows if not row.errors and row.action == action)

    @property
    def count_create(self):
        return self.count("create")

    @property
    def count_unchanged(self):
        return self.count("unchanged")


class TableImport:
    """Column mapping and the check/apply cycle; subclasses say what a row means."""

    columns: dict  # field -> accepted header spellings (compared case-insensitively)
    required: set

    def __init__(self, organisation):
        self.organisation = organisation

    @property
    def max_rows(self):
        """Rows one file may hold; an organisation's own imports are bounded by settings."""
        return settings.IMPORT_MAX_ROWS

    def check(self, filename, content):
        return self.check_table(parse(filename, content, self.max_rows))

    def check_table(self, table):
        """The report for a table from ``parse`` (or stored on a batch); never writes."""
        report = Report()
        if "problem" in table:
            report.problems.append(table["problem"])
            return report
        header, rows = table["header"], table["rows"]
        mapping, problems = self._map_header(header)
        report.problems += problems
        if not rows:
            report.problems.append(_("The file has no rows below the column names."))
        if len(rows) > self.max_rows:
            report.problems.append(too_many_rows(self.max_rows))
        if report.problems:
            return report
        for line, cells in rows:
            values = {
                name: cells[index] if index < len(cells) else "" for name, index in mapping.items()
            }
            report.rows.append(Row(line=line, values=values))
        self.check_rows(report.rows)
        return report

    def _map_header(self, header):
        spelled = {h.strip().lower(): index for index, h in enumerate(header)}
        mapping, missing = {}, []
        for name, spellings in self.columns.items():
            index = next((spelled[s.lower()] for s in spellings if s.lower() in spelled), None)
            if index is not None:
                mapping[name] = index
            elif name in self.required:
                missing.append(spellings[0])
        problems = []
        if missing:
            problems.append(
                _(
                    "Missing column: %(columns)s. The first row must name the columns, e.g. "
                    "%(example)s."
                )
                % {
                    "columns": "、".join(missing),
                    "example": ",".join(s[0] for s in self.columns.values()),
                }
            )
        return mapping, problems

    def apply(self, filename, content):
        return self.apply_table(parse(filename, content, self.max_rows))

    def apply_table(self, table):
        """Check again inside the transaction; create the new rows only if all are clean."""
        with transaction.atomic():
            report = self.check_table(table)
            if not report.ok:
                return report, None
            return report, self.create([row for row in report.rows if row.action == "create"])

    def check_rows(self, rows):
        raise NotImplementedError

    def create(self, rows):
        raise NotImplementedError


def _name_errors(value):
    try:
        validate_real_name(value)
    except ValidationError as exc:
        return list(exc.messages)
    return []


class StaffImport(TableImport):
    columns = {
        "real_name": ("姓名", "name", "real name"),
        "email": ("邮箱", "电子邮箱", "email", "e-mail"),
        "department": ("部门", "department"),
        "staff_number": ("工号", "staff number", "staff_number"),
    }
    required = {"real_name", "email"}

    def check_rows(self, rows):
        seen_emails, seen_numbers = {}, {}
        for row in rows:
            row.values["real_name"] = normalise_name(row.values["real_name"])
            row.values["email"] = row.values["email"].strip().lower()
            row.values["department"] = row.values.get("department", "")[:60]
            row.values["staff_number"] = row.values.get("staff_number", "")
            row.errors += _name_errors(row.values["real_name"])
            email, number = row.values["email"], row.values["staff_number"]
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("“%(email)s” is not an e-mail address.") % {"email": email})
            if email in seen_emails:
                row.errors.append(_("Same e-mail as row %(line)d.") % {"line": seen_emails[email]})
            seen_emails.setdefault(email, row.line)
            if len(number) > 30:
                row.errors.append(_("The staff number is longer than 30 characters."))
            if number and number in seen_numbers:
                row.errors.append(
                    _("Same staff number as row %(line)d.") % {"line": seen_numbers[number]}
                )
            if number:
                seen_numbers.setdefault(number, row.line)
        existing = {
            user.email_lower: user
            for user in User.objects.annotate(email_lower=Lower("email")).filter(
                email_lower__in=list(seen_emails)
            )
        }
        members = set(
            self.organisation.memberships.filter(user__in=existing.values()).values_list(
                "user_id", flat=True
            )
        )
        numbers = dict(
            self.organisation.memberships.exclude(staff_number="").values_list(
                "staff_number", "user_id"
            )
        )
        for row in rows:
            user = existing.get(row.values["email"])
            number = row.values["staff_number"]
            if user is not None and user.pk in members:
                row.action = "unchanged"
            elif user is not None:
                row.errors.append(
                    _(
                        "This e-mail already has an account. Give the person your invitation "
                        "code so that they join themselves."
                    )
                )
            else:
                row.action = "create"
            if number in numbers and (user is None or numbers[number] != user.pk):
                row.errors.append(_("Another member already has this staff number."))

    def create(self, rows):
        return services.create_staff(
            self.organisation,
            [
                (
                    r.values["real_name"],
                    r.values["email"],
                    r.values["department"],
                    r.values["staff_number"],
                )
                for r in rows
            ],
        )


class PupilImport(TableImport):
    columns = {
        "real_name": ("姓名", "name", "real name"),
        "pupil_number": ("学号", "pupil number", "pupil_number", "student number"),
    }
    required = {"real_name", "pupil_number"}

    def check_rows(self, rows):
        seen = {}
        for row in rows:
            row.values["real_name"] = normalise_name(row.values["real_name"])
            number = row.values["pupil_number"]
            row.errors += _name_errors(row.values["real_name"])
            if (
                not number
                or len(number) > 30
                or not all(c.isascii() and (c.isalnum() or c == "-") for c in number)
            ):
                row.errors.append(_("The pupil number must be 1 to 30 letters, digits or hyphens."))
            elif number in seen:
                row.errors.append(_("Same pupil number as row %(line)d.") % {"line": seen[number]})
            seen.setdefault(number, row.line)
        existing = {
            m.staff_number: m.user.real_name
            for m in self.organisation.memberships.filter(
                staff_number__in=list(seen)
            ).select_related("user")
        }
        for row in rows:
            number = row.values["pupil_number"]
            if number in existing:
                if existing[number] == row.values["real_name"]:
                    row.action = "unchanged"
                else:
                    row.errors.append(
                        _("Pupil number %(number)s already belongs to %(name)s.")
                        % {"number": number, "name": existing[number]}
                    )
            else:
                row.action = "create"

    def create(self, rows):
        return services.create_pupils(
            self.organisation, [(r.values["real_name"], r.values["pupil_number"]) for r in rows]
        )


IMPORTERS = {"staff": StaffImport, "pupils": PupilImport}


class OrganisationImport(TableImport):
    """Enterprises and schools registered in bulk by an administrator (district lists)."""

    columns = {
        "name": ("名称", "单位名称", "name"),
        "credit_code": ("统一社会信用代码", "信用代码", "credit code", "credit_code"),
        "kind": ("类型", "kind"),
        "district": ("所在区", "区", "district"),
        "industry": ("行业", "industry"),
        "size": ("规模", "size"),
    }
    required = {"name", "credit_code", "district"}

    max_rows = ORGANISATION_MAX_ROWS

    def __init__(self, organisation=None):
        super().__init__(organisation)

    def check_rows(self, rows):
        kinds = _choice_lookup(OrganisationKind)
        districts = _choice_lookup(District)
        industries = _choice_lookup(Industry)
        sizes = _choice_lookup(OrganisationSize)
        seen = {}
        for row in rows:
            values = row.values
            values["name"] = normalise_name(values["name"])[:120]
            values["credit_code"] = normalise_credit_code(values["credit_code"])
            if not values["name"]:
                row.errors.append(_("The name is empty."))
            try:
                validate_credit_code(values["credit_code"])
            except ValidationError as exc:
                row.errors += list(exc.messages)
            code = values["credit_code"]
            if code in seen:
                row.errors.append(_("Same credit code as row %(line)d.") % {"line": seen[code]})
            seen.setdefault(code, row.line)
            for name, lookup, required in (
                ("kind", kinds, False),
                ("district", districts, True),
                ("industry", industries, False),
                ("size", sizes, False),
            ):
                raw = values.get(name, "").strip()
                if not raw and not required:
                    values[name] = ""
                    continue
                values[name] = lookup.get(raw.lower(), None)
                if values[name] is None:
                    label = Organisation._meta.get_field(name).verbose_name
                    row.errors.append(
                        _("Unknown %(field)s: “%(value)s”.") % {"field": label, "value": raw}
                    )
            values["kind"] = values.get("kind") or OrganisationKind.ENTERPRISE
            if values["kind"] == OrganisationKind.ENTERPRISE and not (
                values.get("industry") and values.get("size")
            ):
                row.errors.append(_("An enterprise needs its industry and size."))
        existing = set(
            Organisation.objects.filter(credit_code__in=list(seen)).values_list(
                "credit_code", flat=True
            )
        )
        for row in rows:
            row.action = "unchanged" if row.values["credit_code"] in existing else "create"

    def create(self, rows):
        # An administrator's own list (a district's register): verified as it is created.
        now = timezone.now()
        return Organisation.objects.bulk_create(
            Organisation(
                **{k: row.values[k] for k in self.columns},
                verification=VerificationStatus.VERIFIED,
                verified_at=now,
            )
            for row in rows
        )


def _choice_lookup(choices):
    """Accept a choice by its value, its label in either language, case-insensitively."""
    lookup = {}
    for value, label in choices.choices:
        lookup[str(value).lower()] = value
        with translation.override("zh-hans"):
            lookup[str(label).lower()] = value
        with translation.override("en"):
            lookup[str(label).lower()] = value
    return lookup
