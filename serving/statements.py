"""Querysets whose SQL is compiled once per process and run with each call's values.

For the questions asked on nearly every request of a signed-in learner, whose shape never
changes. The dashboard asks which of a few kinds of work reach the learner: staff training,
class work, notices. Most learners have none, and the ORM took five times longer to build and
compile such a question (its subqueries above all: about 4 ms of Python for a staff learner's
training) than the database took to answer it; a course page's enrolment cost 0.4 ms to
compile. The queryset stays the one definition of what is asked; only its SQL is kept.
"""

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from django.db import connections

# Values no real row or constant carries, so that each can be found in the compiled
# statement's parameters and replaced there by the value of each call.
_SENTINEL_TIME = datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)
_SENTINEL_INT = -1_987_654_321


def _sentinel(field, offset):
    """The ``offset``-th value's sentinel: each value its own, even two of one kind."""
    if field.get_internal_type() == "DateTimeField":
        return _SENTINEL_TIME + timedelta(microseconds=offset)
    return _SENTINEL_INT - offset


class CompiledQuery:
    """The rows ``build(**values)`` selects: ``objects(**values)`` as model instances, with
    their annotations (a ``select_related`` is refused), ``ids(**values)`` as primary keys.

    ``params`` names each value and the model field that stores it (which adapts it for the
    database, as the ORM would): ``CompiledQuery(build, user=(Enrolment, "user"))``. Integer
    and date-time values are supported.
    """

    def __init__(self, build, **params):
        self.build = build
        self.fields = {
            name: model._meta.get_field(field) for name, (model, field) in params.items()
        }
        self._compiled = {}

    def _compile(self, using, only_ids):
        connection = connections[using]
        sentinels = {
            name: _sentinel(field, offset)
            for offset, (name, field) in enumerate(self.fields.items())
        }
        queryset = self.build(**sentinels)
        if only_ids:
            queryset = queryset.values_list("pk", flat=True)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots = {}
        for name, field in self.fields.items():
            adapted = field.get_db_prep_value(sentinels[name], connection)
            found = [i for i, param in enumerate(params) if param == adapted]
            if not found:
                raise ValueError(f"{name} is not a parameter of the compiled statement")
            slots[name] = found
        return _Statement(sql, list(params), slots, None if only_ids else _Rows(compiler))

    def _statement(self, using, only_ids, values):
        key = using, only_ids
        if key not in self._compiled:
            self._compiled[key] = self._compile(using, only_ids)
        statement = self._compiled[key]
        params = statement.params.copy()
        for name, positions in statement.slots.items():
            adapted = self.fields[name].get_db_prep_value(values[name], connections[using])
            for position in positions:
                params[position] = adapted
        return statement, params

    def bind(self, **values):
        """These values' rows, to be read later: see ``Bound``."""
        return Bound(self, values)

    def statement(self, using="default", **values):
        """(sql, params, instances) of these values, for a caller that runs the statement
        inside a larger one: ``instances(rows)`` makes the model instances of rows that begin
        with its ``instances.width`` columns."""
        statement, params = self._statement(using, False, values)
        rows = statement.rows

        def instances(selected):
            return rows.instances(using, selected)

        instances.width = rows.width
        return statement.sql, params, instances

    def ids(self, using="default", **values):
        statement, params = self._statement(using, True, values)
        with connections[using].cursor() as cursor:
            cursor.execute(statement.sql, params)
            return [row[0] for row in cursor.fetchall()]

    def objects(self, using="default", **values):
        statement, params = self._statement(using, False, values)
        with connections[using].cursor() as cursor:
            cursor.execute(statement.sql, params)
            rows = cursor.fetchall()
        return statement.rows.instances(using, rows)


class _Statement(NamedTuple):
    sql: str
    params: list
    slots: dict  # value name -> its positions among the params
    rows: "_Rows | None"  # how a row becomes an instance; None for ids


class _Rows:
    """What the ORM's model iterable works out from the compiler before the first row (the
    columns' fields, their converters, annotations), worked out once: a raw queryset, which
    did the same work per call, cost as much again as the statement's round trip."""

    def __init__(self, compiler):
        klass_info = compiler.klass_info
        if klass_info.get("related_klass_infos"):
            raise ValueError("a compiled query keeps no select_related")
        select = compiler.select
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        self.width = compiler.col_count
        self.model = klass_info["model"]
        self.columns = slice(first, last)
        self.attnames = [column[0].target.attname for column in select[first:last]]
        self.annotations = list(compiler.annotation_col_map.items())
        self.converters = [
            (position, converters, expression)
            for position, (converters, expression) in compiler.get_converters(
                [column[0] for column in select[: compiler.col_count]]
            ).items()
        ]

    def instances(self, using, rows):
        connection = connections[using]
        instances = []
        for row in rows:
            if self.converters:
                row = list(row)
                for position, converters, expression in self.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
            instance = self.model.from_db(using, self.attnames, row[self.columns])
            for name, position in self.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances


class Bound:
    """A compiled query with its values: ``objects()`` runs the kept statement; ``queryset()``
    builds the ORM's queryset, for a caller that must change it (``select_related``, say)."""

    def __init__(self, compiled, values):
        self.compiled = compiled
        self.values = values

    def objects(self, using="default"):
        return self.compiled.objects(using, **self.values)

    def queryset(self):
        return self.compiled.build(**self.values)
