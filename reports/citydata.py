"""A city-sized data set for benchmarking the reports: ``manage.py generate_city_data``.

At scale 1.0: 100,000 learners in 5,000 organisations across Shanghai's 16 districts, 50
courses (the 12 demo courses and 38 generated ones), 350,000 enrolments, 1,000,000
lesson-progress rows, 300,000 finished quiz attempts and a certificate for every completed
enrolment of a course that awards one. Counts scale linearly; the same seed gives the same
data (dates are laid out between 1 January 2025 and the minute the run starts).

Quiz attempts carry a score and a snapshot with the pass mark and no question items, and
have no Response rows; certificates have no PDF file and no signed credential. Reports read
neither, and leaving them out keeps the database and the run a fraction of the size.
"""

import random
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from certificates.models import Certificate, CertificateEvent
from certificates.services import expiry_date, site_branding
from courses.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    QuizAttempt,
    QuizPage,
)
from reports import citydata_learning as learning
from reports import citydata_people as people_plan
from reports.citydata_courses import course_count, import_generated_courses
from reports.citydata_writer import analyze, generated_exists, remove_generated, reserve_ids, write

SHANGHAI = ZoneInfo("Asia/Shanghai")
WINDOW_START = datetime(2025, 1, 1, tzinfo=SHANGHAI)


class CityDataError(Exception):
    pass


@dataclass(frozen=True)
class Targets:
    users: int
    organisations: int
    enrolments: int
    progress: int
    attempts: int
    generated_courses: int

    @classmethod
    def at(cls, scale):
        users = round(100_000 * scale)
        return cls(
            users=users,
            organisations=round(5_000 * scale),
            # Three and a half courses a person: with three to four lessons a course, fewer
            # enrolments could not hold a million lesson-progress rows.
            enrolments=round(3.5 * users),
            progress=round(1_000_000 * scale),
            attempts=round(300_000 * scale),
            generated_courses=course_count(scale),
        )


def when(seconds):
    return datetime.fromtimestamp(seconds, UTC)


def generate(scale, seed, reset, log=print):
    """Generate the data set in one transaction; returns the table counts and timings."""
    targets = Targets.at(scale)
    began = time.monotonic()
    with transaction.atomic():
        if reset:
            removed = remove_generated()
            log(
                f"Removed an earlier run: {removed} people with their records and organisations, "
                f"and the generated courses: {time.monotonic() - began:.1f} s"
            )
        elif generated_exists():
            raise CityDataError(
                "Generated city data is already in this database; run again with --reset to "
                "replace it."
            )
        import_generated_courses(targets.generated_courses)
        log(
            f"Courses imported ({targets.generated_courses} generated): "
            f"{time.monotonic() - began:.1f} s"
        )
        rng = random.Random(seed)
        end = timezone.now().replace(second=0, microsecond=0)
        window = (WINDOW_START.timestamp(), end.timestamp())
        courses = learning.load_courses(rng)
        taken = set(
            Organisation.objects.exclude(credit_code="").values_list("credit_code", flat=True)
        )
        orgs = people_plan.plan_organisations(
            rng,
            targets.organisations,
            reserve_ids(Organisation, targets.organisations),
            window,
            taken,
        )
        people_plan.allocate_headcounts(rng, orgs, targets.users)
        people = people_plan.plan_people(rng, orgs, reserve_ids(User, targets.users), window)
        try:
            learning.choose_courses(rng, people, courses, targets.enrolments)
            plans = learning.plan_outcomes(rng, people, targets.progress, targets.attempts)
        except ValueError as exc:
            raise CityDataError(str(exc)) from exc
        rows = LearningRows(rng, window)
        rows.build(plans)
        people_plan.settle_dates(rng, orgs, people, window[0])
        log(f"Planned in memory: {time.monotonic() - began:.1f} s")
        steps = [
            (
                Organisation,
                people_plan.ORGANISATION_COLUMNS,
                people_plan.organisation_rows(orgs, when),
            ),
            (User, people_plan.USER_COLUMNS, people_plan.user_rows(people, when)),
            (
                Membership,
                people_plan.MEMBERSHIP_COLUMNS,
                people_plan.membership_rows(people, reserve_ids(Membership, len(people)), when),
            ),
            (Enrolment, ENROLMENT_COLUMNS, rows.enrolments),
            (LessonProgress, PROGRESS_COLUMNS, rows.progress),
            (QuizAttempt, ATTEMPT_COLUMNS, rows.attempts),
            (Certificate, CERTIFICATE_COLUMNS, rows.certificates),
            (CertificateEvent, EVENT_COLUMNS, rows.events),
        ]
        for model, columns, data in steps:
            step = time.monotonic()
            written = write(model, columns, data)
            log(f"  {model._meta.db_table}: {written} rows in {time.monotonic() - step:.1f} s")
    elapsed = time.monotonic() - began
    counts = table_counts()
    step = time.monotonic()
    analyze()
    return counts, elapsed, time.monotonic() - step


COUNTED = [
    Organisation,
    User,
    Membership,
    CoursePage,
    LessonPage,
    QuizPage,
    Enrolment,
    LessonProgress,
    QuizAttempt,
    Certificate,
    CertificateEvent,
]


def table_counts():
    return {model._meta.db_table: model.objects.count() for model in COUNTED}


ENROLMENT_COLUMNS = (
    "id",
    "user_id",
    "course_id",
    "source",
    "district",
    "enrolled_at",
    "progress",
    "last_unit_id",
    "last_activity_at",
    "completed_at",
)
PROGRESS_COLUMNS = ("id", "user_id", "lesson_id", "first_seen_at", "completed_at", "seconds_spent")
ATTEMPT_COLUMNS = (
    "id",
    "user_id",
    "quiz_id",
    "number",
    "status",
    "started_at",
    "deadline",
    "submitted_at",
    "closed_by_deadline",
    "score",
    "passed",
    "snapshot",
)
CERTIFICATE_COLUMNS = (
    "id",
    "code",
    "number",
    "user_id",
    "enrolment_id",
    "course_id",
    "holder_name",
    "course_title",
    "hours",
    "completed_on",
    "issued_at",
    "expires_on",
    "issuer_name",
    "status",
    "revoked_at",
    "revocation_reason",
    "pdf",
    "pdf_sha256",
    "credential",
)
EVENT_COLUMNS = ("id", "certificate_id", "action", "actor_id", "actor_name", "at", "note")


class LearningRows:
    """The rows of the learning tables, built from the plans with one timeline each."""

    def __init__(self, rng, window):
        self.rng, (self.start, self.end) = rng, window
        self.enrolments, self.progress, self.attempts = [], [], []
        self.certificates, self.events = [], []
        branding = site_branding()
        self.issuer = (branding.issuer_name or branding.platform_name) if branding else "质量学堂"

    def build(self, plans):
        counts = {
            "enrolments": len(plans),
            "progress": sum(p.rows for p in plans),
            "attempts": sum(p.attempts for p in plans),
            "certificates": sum(
                1 for p in plans if p.kind == "completed" and p.course.page.certificate
            ),
        }
        self.next_ids = {
            "enrolments": reserve_ids(Enrolment, counts["enrolments"]),
            "progress": reserve_ids(LessonProgress, counts["progress"]),
            "attempts": reserve_ids(QuizAttempt, counts["attempts"]),
            "certificates": reserve_ids(Certificate, counts["certificates"]),
            "events": reserve_ids(CertificateEvent, counts["certificates"]),
        }
        for plan in plans:
            self._one(plan)

    def _id(self, table):
        value = self.next_ids[table]
        self.next_ids[table] += 1
        return value

    def _one(self, plan):
        rng, course, person = self.rng, plan.course, plan.person
        start, factor, lessons, tries = learning.timeline(rng, plan, self.start, self.end)

        def at(relative):
            return start + relative * factor

        done = 0
        last_unit, last_time = None, None
        for lesson_id, seen, finished, spent in lessons:
            if finished is not None:
                done += 1
            self.progress.append(
                (
                    self._id("progress"),
                    person.id,
                    lesson_id,
                    when(at(seen)),
                    when(at(finished)) if finished is not None else None,
                    spent,
                )
            )
            last_unit, last_time = lesson_id, at(finished if finished is not None else seen + spent)
        passed_at = None
        for number, started, submitted, passing in tries:
            right = learning.right_answers(rng, course, passing)
            score = learning.score(right, course.questions)
            limit = course.quiz.time_limit
            self.attempts.append(
                (
                    self._id("attempts"),
                    person.id,
                    course.quiz.pk,
                    number,
                    "finished",
                    when(at(started)),
                    when(at(started) + limit * 60) if limit else None,
                    when(at(submitted)),
                    False,
                    score,
                    score >= course.quiz.pass_mark,
                    course.snapshot,
                )
            )
            if passing:
                passed_at = at(submitted)
            last_unit, last_time = course.quiz.pk, at(submitted)
        units = len(course.lessons) + 1
        progress = round(100 * (done + (passed_at is not None)) / units)
        completed_at = passed_at if done == len(course.lessons) and passed_at else None
        if person.pupil:
            source = "class"
        elif person.audience in course.audiences and rng.random() < 0.6:
            source = "organisation"
        else:
            source = "self"
        # The rule of courses/districts.py: organisation-set training counts where the
        # organisation is registered, the rest where the learner lives.
        district = person.org.district if source != "self" else person.district
        enrolment_id = self._id("enrolments")
        self.enrolments.append(
            (
                enrolment_id,
                person.id,
                course.page.pk,
                source,
                district or person.org.district,
                when(start),
                progress,
                last_unit,
                when(last_time) if last_time else None,
                when(completed_at) if completed_at else None,
            )
        )
        person.first_start = min(person.first_start, start)
        if last_time:
            person.last_seen = max(person.last_seen, last_time)
        if completed_at and course.page.certificate:
            self._certificate(person, course, enrolment_id, when(completed_at))

    def _certificate(self, person, course, enrolment_id, completed_at):
        # Issued the moment the course completed, as the course_completed receiver does.
        certificate_id = self._id("certificates")
        completed_on = completed_at.astimezone(SHANGHAI).date()
        code = b32encode(self.rng.getrandbits(160).to_bytes(20, "big")).decode("ascii")
        self.certificates.append(
            (
                certificate_id,
                code,
                f"QA{completed_at:%Y}{certificate_id:08d}",
                person.id,
                enrolment_id,
                course.page.pk,
                person.real_name,
                course.page.title,
                course.page.hours,
                completed_on,
                completed_at,
                expiry_date(course.page, completed_on),
                self.issuer,
                "valid",
                None,
                "",
                "",
                "",
                "",
            )
        )
        self.events.append(
            (self._id("events"), certificate_id, "issued", None, "", completed_at, "")
        )
