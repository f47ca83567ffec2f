"""The course of a lesson or quiz, found by tree path.

A unit is a child page of its course, so the course's path is the unit's path less its last
step. Every lookup of a unit's course by path goes through here, for one unit or many at
once; it imports no model of courses, so the learning records can use it too.
"""

from django.db.models import F
from django.db.models.functions import Length, Substr
from wagtail.models import Page


def course_path(unit_path):
    """The tree path of the course a unit at ``unit_path`` belongs to."""
    return unit_path[: -Page.steplen]


def course_path_of(field):
    """``course_path`` in the database, for the unit path held in ``field`` (a lookup name):
    for a join on the course without loading the units first."""
    path = F(field)
    return Substr(path, 1, Length(path) - Page.steplen)


def courses_by_unit_path(courses, unit_paths, field=None):
    """{unit path: its course among ``courses`` (a queryset of course pages), or None}, in
    one query for all the units; with ``field``, that field of the course instead."""
    unit_paths = set(unit_paths)
    found = courses.filter(path__in={course_path(path) for path in unit_paths})
    if field is None:
        by_path = {course.path: course for course in found}
    else:
        by_path = dict(found.values_list("path", field))
    return {path: by_path.get(course_path(path)) for path in unit_paths}
