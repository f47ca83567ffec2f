"""xAPI 1.0.3 statements of the learning events, built from the records as plain dicts.

Verbs and activity types are ADL's (http://adlnet.gov/expapi/...), the vocabulary every
learning record store and analysis tool knows; ``earned`` is the Tin Can registry's verb,
ADL has none. Activities are named by the canonical address of their page on the public
site; a question is its quiz page's address with the question's key as the fragment.
Verb displays are in en-US only: the vocabulary's own display, which strict readers (Ralph's
models among them) compare literally.
"""

import uuid
from decimal import Decimal
from urllib.parse import quote

from django.utils import timezone

from xapi import identity

VERSION = "1.0.3"
ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"
EARNED = "http://id.tincanapi.com/verb/earned"
# The LMS profile, named in a registration's context so that readers of that profile (Ralph's
# LMS models among them) recognise the statement.
LMS_PROFILE = "https://w3id.org/xapi/lms"


class Verb:
    REGISTERED = "registered"
    EXPERIENCED = "experienced"
    COMPLETED = "completed"
    ATTEMPTED = "attempted"
    ANSWERED = "answered"
    PASSED = "passed"
    FAILED = "failed"
    EARNED = "earned"


def verb(name):
    iri = EARNED if name == Verb.EARNED else ADL_VERBS + name
    return {"id": iri, "display": {"en-US": name}}


def language_tag(course):
    """BCP 47 tag of the course's language, as xAPI's context and language maps want it."""
    return "en" if course.language == "en" else "zh-CN"


def page_url(page):
    """The page's canonical address on the public site (``SITE_URL``), whatever host the
    page tree names, so that an activity keeps its id between machines of one site."""
    parts = page.get_url_parts()
    path = parts[2] if parts else f"/{page.slug}/"
    return identity.home_page() + path


def certificate_type():
    # No registry defines a certificate activity type; it is defined on the site itself
    # (docs/xapi.md).
    return identity.home_page() + "/xapi/activity-types/certificate"


def activity(page, kind, course):
    return {
        "objectType": "Activity",
        "id": page_url(page),
        "definition": {
            "type": ADL_ACTIVITIES + kind,
            "name": {language_tag(course): page.title},
        },
    }


def course_activity(course):
    return activity(course, "course", course)


def _timestamp(when):
    return (when or timezone.now()).isoformat()


def statement(
    user_id,
    name,
    obj,
    course,
    *,
    when=None,
    result=None,
    parent=None,
    setting=None,
    statement_id=None,
    context_statement=None,
):
    """One statement; ``setting`` is the learner's Setting (registration and assignment).

    ``statement_id`` fixes the id (random otherwise); ``context_statement`` is the id of the
    statement this one happens within (xAPI's context.statement, a StatementRef)."""
    context = {"language": language_tag(course), "platform": "质量学堂"}
    if context_statement:
        context["statement"] = {"objectType": "StatementRef", "id": context_statement}
    activities = {}
    if parent:
        activities["parent"] = parent
    if setting is not None:
        if setting.registration:
            context["registration"] = setting.registration
        if setting.grouping:
            activities["grouping"] = setting.grouping
        if setting.extensions:
            context["extensions"] = setting.extensions
    if name == Verb.REGISTERED:
        activities["category"] = [
            {"id": LMS_PROFILE, "definition": {"type": ADL_ACTIVITIES + "profile"}}
        ]
    if activities:
        context["contextActivities"] = activities
    data = {
        "id": statement_id or str(uuid.uuid4()),
        "actor": identity.actor(user_id),
        "verb": verb(name),
        "object": obj,
        "context": context,
        "timestamp": _timestamp(when),
        "version": VERSION,
    }
    if result:
        data["result"] = result
    return data


def scaled(percent):
    """A percentage as xAPI's scaled score, -1..1 with at most four decimals."""
    return float((Decimal(percent) / 100).quantize(Decimal("0.0001")))


def attempt_score(attempt):
    return {
        "scaled": scaled(attempt.score),
        "raw": float(attempt.score),
        "min": 0,
        "max": 100,
    }


def question_activity(quiz, item, course):
    """A question of an attempt as a cmi.interaction, with its choices where it has them."""
    question = item["question"]
    definition = {
        "type": ADL_ACTIVITIES + "cmi.interaction",
        "name": {language_tag(course): question.get("name") or item["key"]},
        "description": {language_tag(course): question.get("text", "")[:500]},
    }
    definition.update(interaction_definition(question, language_tag(course)))
    return {
        "objectType": "Activity",
        "id": f"{page_url(quiz)}#question-{quote(item['key'], safe='')}",
        "definition": definition,
    }


def interaction_definition(question, lang):
    qtype = question["qtype"]
    choices = question.get("choices", [])
    if qtype in ("single_choice", "multiple_response"):
        return {
            "interactionType": "choice",
            "choices": [
                {"id": f"choice-{i}", "description": {lang: c.get("text", "")}}
                for i, c in enumerate(choices)
            ],
        }
    if qtype == "true_false":
        return {"interactionType": "true-false"}
    if qtype == "numerical":
        return {"interactionType": "numeric"}
    if qtype == "matching":
        targets = sorted({c.get("match", "") for c in choices})
        return {
            "interactionType": "matching",
            "source": [
                {"id": f"source-{i}", "description": {lang: c.get("text", "")}}
                for i, c in enumerate(choices)
                if c.get("text")
            ],
            "target": [
                {"id": f"target-{i}", "description": {lang: text}} for i, text in enumerate(targets)
            ],
        }
    if qtype == "essay":
        return {"interactionType": "long-fill-in"}
    return {"interactionType": "fill-in"}


def interaction_response(question, answer):
    """The answer in the interaction type's response pattern (xAPI 1.0.3, 2.4.4.1)."""
    if answer is None:
        return None
    qtype = question["qtype"]
    if qtype == "single_choice":
        return f"choice-{answer}"
    if qtype == "multiple_response":
        return "[,]".join(f"choice-{i}" for i in sorted(answer))
    if qtype == "true_false":
        return "true" if answer else "false"
    if qtype == "matching":
        targets = sorted({c.get("match", "") for c in question.get("choices", [])})
        pairs = []
        for source, match in sorted(answer.items(), key=lambda pair: int(pair[0])):
            if match in targets:
                pairs.append(f"source-{source}[.]target-{targets.index(match)}")
        return "[,]".join(pairs)
    return str(answer)


def answer_result(question, response):
    result = {}
    text = interaction_response(question, response.answer)
    if text is not None:
        result["response"] = text
    if response.credit is not None:
        result["success"] = response.credit >= 1
        result["score"] = {"scaled": float(Decimal(response.credit).quantize(Decimal("0.0001")))}
    return result


def hours_extension():
    """Training hours (学时) credited by a certificate; defined on the site (docs/xapi.md)."""
    return identity.home_page() + "/xapi/extensions/training-hours"
