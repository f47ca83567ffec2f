"""An attempt page's questions, each rendered from courses/includes/question_field.html.

A question not yet answered looks the same to every learner who drew it with its choices in
the same order, whatever its place in a shuffled quiz, and a thousand learners starting one
quiz at once would otherwise render the same fieldsets a thousand times: the question loop
was the largest part of the page's template time. Such a fieldset is rendered once per
process and language, with a slot where its number goes, and reused. The key is everything
the fieldset shows but the number, so an edited question (a new snapshot) is a new key and
nothing is served stale. A question holding an answer, or a version, is rendered for its
learner alone: answers never enter the shared store.
"""

import json

from django import template
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

FIELD_TEMPLATE = "courses/includes/question_field.html"
# NUL: the forms refuse it and PostgreSQL's JSON cannot store it, so a rendered question holds
# none of its own; one that somehow does is rendered for its page alone (below).
NUMBER_SLOT = "\x00"
# A fieldset is about a kilobyte: a few megabytes at most per worker. Emptied when full (the
# next pages render again) rather than tracking use: starts come in waves on one quiz.
KEPT_FIELDS = 4096
_unanswered = {}


@register.simple_tag
def question_field(item):
    if item["answer"] is not None or item["version"]:
        return render_to_string(FIELD_TEMPLATE, {"item": item})
    shown = {name: value for name, value in item.items() if name != "number"}
    key = (get_language(), json.dumps(shown, ensure_ascii=False, sort_keys=True, default=str))
    parts = _unanswered.get(key)
    if parts is None:
        html = render_to_string(FIELD_TEMPLATE, {"item": {**item, "number": NUMBER_SLOT}})
        parts = html.split(NUMBER_SLOT)
        if len(parts) > 2:  # a NUL of the question's own: the slot cannot be told apart
            return render_to_string(FIELD_TEMPLATE, {"item": item})
        if len(_unanswered) >= KEPT_FIELDS:
            _unanswered.clear()
        _unanswered[key] = parts
    # The parts are the template's own escaped output; the number is an int.
    return mark_safe(str(int(item["number"])).join(parts))


@receiver(file_changed)
def _forget_fields(sender, file_path, **kwargs):
    # The development server reloads templates without restarting: drop what the old one made.
    if file_path.suffix == ".html":
        _unanswered.clear()
