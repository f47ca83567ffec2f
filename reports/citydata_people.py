"""Organisations and their people for the city data set, planned in memory before writing."""

from dataclasses import dataclass, field

from accounts.names import name_sort_key
from reports import citydata_names as names
from reports.citydata_writer import GENERATED_PASSWORD, INVITE_PREFIX, USER_PREFIX

DAY = 86400.0
INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

# Share of enterprises by size and the headcount range registered on the platform. Most
# firms are small and micro; a few large ones give training managers staff lists of 500+.
SIZES = {
    "micro": (64, 2, 8),
    "small": (28, 8, 30),
    "medium": (6.5, 30, 120),
    "large": (1.5, 200, 700),
}
SCHOOL_SHARE = 0.03
SCHOOL_HEADCOUNT = (60, 250)


@dataclass
class Org:
    id: int
    kind: str
    name: str
    credit_code: str
    district: str
    industry: str
    size: str
    invite_code: str
    created: float
    headcount: int = 0


@dataclass
class Person:
    id: int
    org: Org
    role: str
    audience: str
    real_name: str
    district: str
    joined: float
    department: str = ""
    staff_number: str = ""
    pupil: bool = False
    last_seen: float = 0.0
    first_start: float = float("inf")
    number: int = 0
    courses: list = field(default_factory=list)

    @property
    def username(self):
        # Numbered from 1 in each run, not by key, so a seed gives the same usernames
        # whatever keys the database hands out.
        return f"{USER_PREFIX}{self.number:07d}"


def invite_code(index):
    digits = []
    for _ in range(8):
        index, rest = divmod(index, len(INVITE_ALPHABET))
        digits.append(INVITE_ALPHABET[rest])
    return INVITE_PREFIX + "".join(reversed(digits))


def plan_organisations(rng, count, first_id, window, taken_codes):
    end = window[1]
    districts = list(names.DISTRICT_WEIGHTS)
    district_weights = list(names.DISTRICT_WEIGHTS.values())
    industries = list(names.INDUSTRY_WEIGHTS)
    industry_weights = list(names.INDUSTRY_WEIGHTS.values())
    schools = max(1, round(count * SCHOOL_SHARE))
    sizes = list(SIZES)
    size_weights = [SIZES[s][0] for s in sizes]
    orgs = []
    for index in range(count):
        school = index < schools
        district = rng.choices(districts, district_weights)[0]
        if school:
            industry, size, name = "P", "", names.school_name(rng, district)
        else:
            industry = rng.choices(industries, industry_weights)[0]
            size = rng.choices(sizes, size_weights)[0]
            name = names.enterprise_name(rng, district, industry)
        code = names.credit_code(rng, district, school)
        while code in taken_codes:
            code = names.credit_code(rng, district, school)
        taken_codes.add(code)
        orgs.append(
            Org(
                id=first_id + index,
                kind="school" if school else "enterprise",
                name=name,
                credit_code=code,
                district=district,
                industry=industry,
                size=size,
                invite_code=invite_code(index),
                created=end,  # settled once its people's records are known
            )
        )
    if count > 40 and not any(org.size == "large" for org in orgs):
        orgs[-1].size = "large"
    return orgs


def allocate_headcounts(rng, orgs, people):
    """Share ``people`` among the organisations by size, at least two each (a manager and
    one learner), with the exact total."""
    raw = []
    for org in orgs:
        low, high = SCHOOL_HEADCOUNT if org.kind == "school" else SIZES[org.size][1:]
        raw.append(rng.uniform(low, high))
    total = sum(raw)
    for org, weight in zip(orgs, raw, strict=True):
        org.headcount = max(2, int(weight * people / total))
    surplus = sum(org.headcount for org in orgs) - people
    by_size = sorted(orgs, key=lambda org: -org.headcount)
    step = 0
    while surplus:
        org = by_size[step % len(by_size)] if surplus > 0 else rng.choice(orgs)
        if surplus > 0 and org.headcount > 2:
            org.headcount -= 1
            surplus -= 1
        elif surplus < 0:
            org.headcount += 1
            surplus += 1
        step += 1


def plan_people(rng, orgs, first_id, window):
    """Everyone's membership facts: managers, teachers, pupils and staff."""
    end = window[1]
    districts = list(names.DISTRICT_WEIGHTS)
    district_weights = list(names.DISTRICT_WEIGHTS.values())
    people = []
    next_id = first_id
    for org in orgs:
        managers = {"micro": 1, "small": 1, "medium": 2, "large": 3}.get(org.size, 1)
        teachers = max(1, org.headcount // 40) if org.kind == "school" else 0
        for seat in range(org.headcount):
            person = Person(
                id=next_id,
                org=org,
                role="learner",
                audience="frontline",
                real_name=names.person_name(rng),
                district=org.district,
                joined=end,  # settled once the person's records are known
                number=next_id - first_id + 1,
            )
            next_id += 1
            if org.kind == "school":
                _school_seat(rng, person, seat, managers, teachers)
            else:
                _enterprise_seat(rng, person, seat, managers)
            if not person.pupil and rng.random() < 0.2:
                # Adults often work in another district than the one they live in.
                person.district = rng.choices(districts, district_weights)[0]
            people.append(person)
    return people


def _school_seat(rng, person, seat, managers, teachers):
    person.audience = "school"
    if seat < managers:
        person.role, person.department = "manager", "教务处"
    elif seat < managers + teachers:
        person.role, person.department = "teacher", rng.choice(names.TEACHING_GROUPS)
    else:
        person.pupil = True
        person.department = names.class_name(rng)
        person.staff_number = f"{2019 + seat % 7}{seat:05d}"


def _enterprise_seat(rng, person, seat, managers):
    org = person.org
    if seat < managers:
        person.role = "manager"
        person.department = "质量部" if org.size in ("small", "medium") else ""
        if org.size == "large":
            person.department = "质量管理部"
        # The first manager of a larger firm is its chief quality officer; in a small
        # firm the manager is usually the owner.
        owner = org.size in ("micro", "small")
        person.audience = "small-enterprise" if owner else "chief-quality-officer"
    else:
        roll = rng.random()
        if roll < 0.05:
            person.audience = "public"
        elif roll < 0.12 and org.size in ("micro", "small"):
            person.audience = "small-enterprise"
        elif roll < 0.15 and org.size in ("medium", "large"):
            person.audience = "chief-quality-officer"
    if org.size != "micro" or rng.random() < 0.5:
        person.department = person.department or rng.choice(names.DEPARTMENTS[org.size])
    if org.size in ("medium", "large") or (org.size == "small" and rng.random() < 0.5):
        person.staff_number = f"{seat + 1:05d}"


def settle_dates(rng, orgs, people, window_start):
    """Joining dates that precede what people did: a person signed up a little before their
    first course, their organisation registered a little before its first member."""
    for person in people:
        person.joined = max(window_start, person.first_start - rng.uniform(600, 14 * DAY))
    for person in people:
        org = person.org
        org.created = min(org.created, person.joined)
    for org in orgs:
        org.created = max(window_start, org.created - rng.uniform(3600, 30 * DAY))
    for person in people:
        person.joined = max(person.joined, person.org.created + 60)


def organisation_rows(orgs, when):
    for org in orgs:
        yield (
            org.id,
            org.kind,
            org.name,
            org.credit_code,
            org.district,
            org.industry,
            org.size,
            org.invite_code,
            True,
            when(org.created),
            "verified",  # the city's organisations stand for real, checked ones
            when(org.created),
        )


ORGANISATION_COLUMNS = (
    "id",
    "kind",
    "name",
    "credit_code",
    "district",
    "industry",
    "size",
    "invite_code",
    "joining_open",
    "created_at",
    "verification",
    "verified_at",
)
USER_COLUMNS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "real_name",
    "audience",
    "district",
    "must_change_password",
    "name_key",
)
MEMBERSHIP_COLUMNS = (
    "id",
    "user_id",
    "organisation_id",
    "role",
    "department",
    "staff_number",
    "chief_quality_officer",
    "joined_at",
    "updated_at",
)


def user_rows(people, when):
    for person in people:
        email = "" if person.pupil else f"{person.username}@example.com"
        yield (
            person.id,
            GENERATED_PASSWORD,
            when(person.last_seen) if person.last_seen else None,
            False,
            person.username,
            "",
            "",
            email,
            False,
            True,
            when(person.joined),
            person.real_name,
            person.audience,
            person.district,
            False,
            name_sort_key(person.real_name),
        )


def membership_rows(people, first_id, when):
    for offset, person in enumerate(people):
        yield (
            first_id + offset,
            person.id,
            person.org.id,
            person.role,
            person.department,
            person.staff_number,
            # The manager planned as a larger firm's chief quality officer is marked so.
            person.role == "manager" and person.audience == "chief-quality-officer",
            when(person.joined),
            when(person.joined),  # unchanged since joining
        )
