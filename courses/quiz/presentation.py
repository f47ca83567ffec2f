"""What an attempt page and a result page show, built from the attempt's snapshot.

The attempt page gets only what a learner may see while answering: texts, choices in the
snapshot's order, the saved answer and its version. Fractions, accepted answers and feedback
never leave the server until the review policy allows (``review_items``). What each question
shows, and how its answer is read back from the form, is its kind's to say
(``courses.questions.registry``).
"""

from django.utils.html import strip_tags

from courses.questions.data import Question, TextFormat
from courses.questions.registry import feedback_for, kind_of, right_answer


def plain_text(text, fmt):
    """Question text as plain text: html is reduced to its words, the rest shown as typed."""
    if fmt == TextFormat.HTML:
        return strip_tags(text)
    return text


def attempt_items(attempt, responses):
    items, number = [], 0
    for item in attempt.snapshot["items"]:
        question = Question.from_dict(item["question"])
        kind = kind_of(question)
        if kind.gradable:
            number += 1
        response = responses.get(item["key"])
        shown = {
            "key": item["key"],
            "number": number,
            "qtype": question.qtype.value,
            "text": plain_text(question.text, question.options.get("text_format", "moodle")),
            "answer": response.answer if response else None,
            "version": response.version if response else 0,
        }
        shown.update(kind.present(question, item["order"]))
        items.append(shown)
    return items


def review_items(attempt, responses, show_answers):
    """Each question with the learner's answer; its credit (right or wrong), the right
    answers and feedback only when ``show_answers``: per-question marks would give the key
    of a quiz that keeps it away, one throwaway attempt at a time."""
    items = attempt_items(attempt, responses)
    for shown, item in zip(items, attempt.snapshot["items"], strict=True):
        response = responses.get(item["key"])
        shown["credit"] = response.credit if response and show_answers else None
        shown["answer_text"] = response.answer_text if response else ""
        if show_answers:
            question = Question.from_dict(item["question"])
            shown["right_answer"] = right_answer(question)
            shown["feedback"] = feedback_for(question, response.answer if response else None)
            shown["general_feedback"] = question.general_feedback
    return items


def answers_from_form(attempt, data):
    """(key, answer, version) for every question answered in a posted attempt form.

    The page works without JavaScript: then all answers arrive with the final submission.
    """
    for item in attempt.snapshot["items"]:
        key = item["key"]
        question = Question.from_dict(item["question"])
        try:
            version = int(data.get(f"v-{key}", ""))
        except ValueError:
            continue
        try:
            answer = kind_of(question).form_answer(question, data, f"q-{key}")
        except ValueError:
            answer = None  # e.g. a choice index that is not a number
        if answer is not None:
            yield key, answer, version
