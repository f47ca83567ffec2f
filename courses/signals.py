"""The signals courses sends. It names no model, so the learning services at the bottom of
the app can send them (the receivers of courses itself are in receivers.py)."""

from django.dispatch import Signal

# Sent inside the transaction that records a course's completion, once per enrolment, with
# ``enrolment``. Certificates and classrooms listen; the learning engine imports neither.
course_completed = Signal()

# Sent when a learner first opens a lesson, with ``enrolment`` and ``lesson``, in the
# transaction that records the opening (the row is inserted with bulk_create, which sends no
# post_save). xapi listens.
lesson_opened = Signal()

# Sent by ``record_unit_result`` in its transaction each time a unit's content reports a
# result (SCORM, H5P), with ``enrolment``, ``unit``, ``completed``, ``passed`` (None when the
# content reports none), ``score`` (scaled 0..1 or None) and ``first_completion``. xapi
# listens.
unit_result_recorded = Signal()

# Sent when a learner starts a new quiz attempt (not when an open one is resumed), with
# ``enrolment`` (its course loaded) and ``attempt``, inside the start's transaction. A started
# attempt that is never submitted is still a learning event; xapi listens.
quiz_attempt_started = Signal()

# Sent when a learner's dashboard is shown, with ``user`` and ``now``. Receivers return None
# or a dict with ``template`` (included above the courses) and what that template reads;
# an optional ``order`` (default 50, smaller first) places it among the others.
dashboard_sections = Signal()
