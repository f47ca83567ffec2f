"""Fast writes and clean removal for the city data set.

PostgreSQL gets COPY (psycopg 3), which loads a million rows in seconds where the ORM takes
minutes; other databases (SQLite in the test suite) get executemany with the values prepared
by each field, so both paths store the same thing. Rows carry their primary keys, reserved up
front, so rows of one table can point at rows of another without a round trip per batch.
"""

import json

from django.db import connection
from django.db.models import JSONField

# Generated rows are recognised by these marks, so --reset never touches demo or real data.
USER_PREFIX = "city-"
INVITE_PREFIX = "CITY"
# An unusable password shared by every generated person: Django refuses any hash starting
# with "!", and hashing 100,000 real passwords would take longer than the rest of the run.
GENERATED_PASSWORD = "!citydata-generated"
BATCH = 5000


def is_postgresql():
    return connection.vendor == "postgresql"


def reserve_ids(model, count):
    """The first of ``count`` consecutive free primary keys of ``model``'s table.

    On PostgreSQL the sequence is moved past them in the same statement, so rows the
    application inserts meanwhile get other keys. Elsewhere the next free key after the
    largest one is used (SQLite's AUTOINCREMENT follows explicit keys by itself).
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_postgresql():
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST("
                f"(SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}), "
                "(SELECT last_value FROM pg_sequences WHERE "
                "schemaname || '.' || sequencename = pg_get_serial_sequence(%s, 'id'))"
                ") + %s)",
                [table, table, max(count, 1)],
            )
            return cursor.fetchone()[0] - max(count, 1) + 1
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0] + 1


def write(model, columns, rows):
    """Insert ``rows`` (tuples in the order of ``columns``, attribute names) into the table."""
    fields = [model._meta.get_field(name) for name in columns]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    column_list = ", ".join(quote(field.column) for field in fields)
    json_at = [i for i, field in enumerate(fields) if isinstance(field, JSONField)]
    count = 0
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                for row in rows:
                    if json_at:
                        row = list(row)
                        for i in json_at:
                            row[i] = json.dumps(row[i], ensure_ascii=False)
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({column_list}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch = []
        for row in rows:
            batch.append(
                [
                    field.get_db_prep_save(value, connection)
                    for field, value in zip(fields, row, strict=True)
                ]
            )
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def remove_generated():
    """Delete what an earlier run generated: its people, their records, their organisations
    and the generated courses. Returns the number of people removed.

    The big tables go first with one DELETE each (the ORM would load every row to cascade);
    the people and organisations then go through the ORM, so tables added later that point at
    them are cascaded as their models say.
    """
    from accounts.models import Membership, Organisation, User
    from certificates.models import Certificate, CertificateEvent
    from courses.models import (
        CoursePage,
        Enrolment,
        LessonProgress,
        QuizAttempt,
        Response,
    )
    from reports.citydata_courses import SLUG_PREFIX

    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    # Both marks: a person who signed up as "city-…" has a usable password and is kept.
    people = f"SELECT id FROM {table(User)} WHERE username LIKE %s AND password = %s"
    marks = [USER_PREFIX + "%", GENERATED_PASSWORD]
    statements = [
        f"DELETE FROM {table(CertificateEvent)} WHERE certificate_id IN "
        f"(SELECT id FROM {table(Certificate)} WHERE user_id IN ({people}))",
        f"DELETE FROM {table(Certificate)} WHERE user_id IN ({people})",
        f"DELETE FROM {table(Response)} WHERE attempt_id IN "
        f"(SELECT id FROM {table(QuizAttempt)} WHERE user_id IN ({people}))",
        f"DELETE FROM {table(QuizAttempt)} WHERE user_id IN ({people})",
        f"DELETE FROM {table(LessonProgress)} WHERE user_id IN ({people})",
        f"DELETE FROM {table(Enrolment)} WHERE user_id IN ({people})",
        f"DELETE FROM {table(Membership)} WHERE user_id IN ({people})",
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, marks)
    generated = User.objects.filter(username__startswith=USER_PREFIX, password=GENERATED_PASSWORD)
    removed = generated.count()
    generated.delete()
    Organisation.objects.filter(invite_code__startswith=INVITE_PREFIX).delete()
    for course in CoursePage.objects.filter(slug__startswith=SLUG_PREFIX):
        course.delete()
    return removed


def generated_exists():
    from accounts.models import Organisation, User
    from courses.models import CoursePage
    from reports.citydata_courses import SLUG_PREFIX

    return (
        User.objects.filter(username__startswith=USER_PREFIX, password=GENERATED_PASSWORD).exists()
        or Organisation.objects.filter(invite_code__startswith=INVITE_PREFIX).exists()
        or CoursePage.objects.filter(slug__startswith=SLUG_PREFIX).exists()
    )


def analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
