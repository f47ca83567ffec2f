"""The shapes the API answers with. Django Ninja validates every response against these and
generates the OpenAPI document from the same classes, so the document cannot drift from
what is sent."""

from datetime import date, datetime

from ninja import Field, Schema


class Error(Schema):
    detail: str


class ClassRef(Schema):
    id: int
    name: str
    role: str = Field(description="pupil or teacher")


class Member(Schema):
    id: int = Field(description="The membership id, stable while the person stays")
    name: str
    username: str
    email: str
    role: str = Field(description="learner, teacher or manager")
    department: str
    staff_number: str
    chief_quality_officer: bool
    classes: list[ClassRef]
    joined_at: datetime
    updated_at: datetime = Field(
        description="When role, department, staff number or officer standing last changed"
    )


class MemberPage(Schema):
    items: list[Member]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end"
    )


class Departure(Schema):
    member_id: int = Field(description="The id /members gave the person while they stayed")
    left_at: datetime


class DeparturePage(Schema):
    items: list[Departure]
    next_cursor: str | None = Field(
        description="Pass as ?cursor= for the next page; null at the end"
    )


class LedgerRow(Schema):
    member_id: int
    name: str
    staff_number: str
    department: str
    completed: int = Field(description="Courses completed, ever")
    in_progress: int
    hours_year: float = Field(description="Training hours of courses completed in the year asked")
    hours_total: float
    certificates_in_force: int


class LedgerPage(Schema):
    year: int
    items: list[LedgerRow]
    next_cursor: str | None


class CertificateRef(Schema):
    number: str | None
    state: str = Field(description="valid, expired, revoked or replaced")
    verify_url: str


class LedgerCourse(Schema):
    title: str
    completed_on: date
    hours: float
    certificate: CertificateRef | None


class LedgerYear(Schema):
    year: int
    hours: float
    courses: list[LedgerCourse]


class MemberLedger(Schema):
    member_id: int
    name: str
    years: list[LedgerYear]


class UnitRef(Schema):
    id: int
    title: str


class Assignment(Schema):
    id: int
    course: UnitRef
    quiz: UnitRef | None
    opens_at: datetime
    due_at: datetime
    audience: str = Field(description="staff, department, learners, class or group")
    department: str
    classroom: UnitRef | None
    group: UnitRef | None
    created_at: datetime


class AssignmentPage(Schema):
    items: list[Assignment]
    next_cursor: str | None


class PersonStatus(Schema):
    member_id: int | None
    name: str
    status: str = Field(
        description="overdue, failed, not_started, in_progress, completed or passed"
    )
    status_label: str
    score: float | None = Field(description="Best quiz score, or course progress in per cent")
    awaiting_grading: bool


class AssignmentStatuses(Schema):
    assignment: Assignment
    people: list[PersonStatus]


class Certificate(Schema):
    number: str | None
    member_id: int | None
    holder_name: str
    course_id: int | None
    course_title: str
    hours: float
    completed_on: date
    issued_at: datetime
    expires_on: date | None
    revoked_at: datetime | None
    state: str = Field(description="valid, expired or revoked")
    verify_url: str


class CertificatePage(Schema):
    items: list[Certificate]
    next_cursor: str | None


class Course(Schema):
    id: int
    title: str
    summary: str
    url: str
    language: str
    hours: float
    certificate: bool
    audiences: list[str]
    subjects: list[str]
    last_published_at: datetime


class CoursePage(Schema):
    items: list[Course]
    next_cursor: str | None
