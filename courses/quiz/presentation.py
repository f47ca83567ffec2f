"""What an attempt page and a result page show, built from the attempt's snapshot.

The attempt page gets only what a learner may see while answering: texts, choices in the
snapshot's order, the saved answer and its version. Fractions, accepted answers and feedback
never leave the server until the review policy allows (``review_items``).
"""

from django.utils.html import strip_tags

from courses.quiz.questions import Question, QuestionType, TextFormat


def plain_text(text, fmt):
    """Question text as plain text: html is reduced to its words, the rest shown as typed."""
    if fmt == TextFormat.HTML:
        return strip_tags(text)
    return text


def _base(item, index, response):
    question = Question.from_dict(item["question"])
    fmt = question.options.get("text_format", "moodle")
    return question, {
        "key": item["key"],
        "number": index,
        "qtype": question.qtype.value,
        "text": plain_text(question.text, fmt),
        "answer": response.answer if response else None,
        "version": response.version if response else 0,
    }


def attempt_items(attempt, responses):
    items, number = [], 0
    for item in attempt.snapshot["items"]:
        question = Question.from_dict(item["question"])
        if question.qtype != QuestionType.DESCRIPTION:
            number += 1
        question, shown = _base(item, number, responses.get(item["key"]))
        if question.qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
            shown["choices"] = [
                {"value": index, "text": plain_text(question.choices[index].text, "moodle")}
                for index in item["order"]
            ]
        elif question.qtype == QuestionType.MATCHING:
            shown["pairs"] = [
                {"index": index, "text": choice.text}
                for index, choice in enumerate(question.choices)
                if choice.text
            ]
            shown["options"] = item["order"]
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


def right_answer(question):
    qtype = question.qtype
    if qtype == QuestionType.TRUE_FALSE:
        return "√" if question.options.get("correct") else "×"
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.SHORT_ANSWER):
        best = max(question.choices, key=lambda c: c.fraction, default=None)
        return best.text if best else ""
    if qtype == QuestionType.MULTIPLE_RESPONSE:
        return "；".join(c.text for c in question.choices if c.fraction > 0)
    if qtype == QuestionType.NUMERICAL:
        best = max(question.choices, key=lambda c: c.fraction, default=None)
        if best is None:
            return ""
        if best.low is not None:
            return f"{best.low}–{best.high}"
        return f"{best.value}" + (f" ± {best.tolerance}" if best.tolerance else "")
    if qtype == QuestionType.MATCHING:
        return "；".join(f"{c.text} → {c.match}" for c in question.choices if c.text)
    return ""


def feedback_for(question, answer):
    if answer is None:
        return ""
    if question.qtype == QuestionType.TRUE_FALSE:
        right = answer == question.options.get("correct")
        return question.options.get("feedback_right" if right else "feedback_wrong", "")
    if question.qtype == QuestionType.SINGLE_CHOICE and isinstance(answer, int):
        return question.choices[answer].feedback
    if question.qtype == QuestionType.MULTIPLE_RESPONSE and isinstance(answer, list):
        return " ".join(
            question.choices[i].feedback for i in answer if question.choices[i].feedback
        )
    return ""


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
        answer = _form_answer(question, data, f"q-{key}")
        if answer is not None:
            yield key, answer, version


def _form_answer(question, data, name):
    qtype = question.qtype
    try:
        if qtype == QuestionType.SINGLE_CHOICE:
            return int(data[name]) if data.get(name) else None
        if qtype == QuestionType.MULTIPLE_RESPONSE:
            values = data.getlist(name)
            return [int(v) for v in values] if values else None
        if qtype == QuestionType.TRUE_FALSE:
            return {"true": True, "false": False}.get(data.get(name))
        if qtype in (QuestionType.SHORT_ANSWER, QuestionType.NUMERICAL, QuestionType.ESSAY):
            value = data.get(name, "")
            return value if value.strip() else None
        if qtype == QuestionType.MATCHING:
            pairs = {
                str(i): data.get(f"{name}-{i}")
                for i, c in enumerate(question.choices)
                if c.text and data.get(f"{name}-{i}")
            }
            return pairs or None
    except ValueError:
        return None
    return None
