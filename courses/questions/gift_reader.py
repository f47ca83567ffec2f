"""GIFT, Moodle's plain-text question format: ``parse_gift`` reads it (``gift_writer`` writes it).

The reader follows Moodle's importer (``question/format/gift/format.php`` with
``qformat_default::readquestions``) step by step, so a file means here what it means in
Moodle: questions are separated by blank lines; lines starting with ``//`` are comments;
``::name::`` titles; ``[html]``/``[moodle]``/``[plain]``/``[markdown]`` formats; the escapes
``\\~ \\= \\# \\{ \\} \\:`` ``\\n`` and ``\\\\``; ``$CATEGORY:`` lines; and the answer block in
braces, whose content decides the question type exactly as Moodle decides it:

* no braces: description; ``{}``: essay;
* starts with ``#``: numerical (``{#3.14:0.01}``, ``{#1..5}``, ``{#=%50%3.1:0.1 ~#wrong}``);
* contains ``~``: multiple choice, single choice if it also contains ``=`` and multiple
  response otherwise (``~%50%`` weights);
* contains ``=`` and ``->``: matching;
* ``T``/``TRUE``/``F``/``FALSE`` (with ``#wrong#right`` feedback): true/false;
* anything else: short answer (``=`` answers with ``%weight%``).

Each question type claims its answer blocks and reads them (``courses.questions.kinds``);
this module takes the file apart into questions, names, texts, formats, comments and
categories. An answer block that is not at the end of the text makes a missing-word
question: the text gets ``_____`` where the block stood.

Where Moodle would import something other than what the author evidently meant, or crash, the
reader raises ``GiftError`` instead; a comment says "stricter than Moodle" at each such
place. ``GiftError`` is the only exception ``parse_gift`` raises, whatever the input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from courses.questions.data import BLANK, DEFAULT_FORMAT, Question
from courses.questions.gift_syntax import (
    GiftError,
    clean_name,
    escape_post,
    escape_pre,
    own_format,
    parse_text_with_format,
    trim,
)
from courses.questions.registry import gift_kind
from courses.questions.source import (
    PHP_WHITESPACE,
    decode_source,
    default_question_name,
    numbered_lines,
)

__all__ = ["GiftError", "parse_gift"]

# Moodle's extract_idnumber_and_tags_from_comment(): [:cntrl:] is ASCII 0-31 and 127.
_IDNUMBER_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG_TOKEN_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")


def _extract_idnumber_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's extract_idnumber_and_tags_from_comment(): ``[id:…]`` and ``[tag:…]``."""
    match = _IDNUMBER_RE.search(comments)
    idnumber = match.group(1).strip(PHP_WHITESPACE).replace("\\]", "]") if match else ""
    tags = [trim(raw).replace("\\]", "]") for raw in _TAG_TOKEN_RE.findall(comments)]
    return idnumber, [tag for tag in tags if tag]


def parse_gift(text: str | bytes) -> list[Question]:
    """Parse GIFT text into questions, in file order.

    ``$CATEGORY:`` lines are not questions: the category they name is recorded in
    ``options["category"]`` of the questions that follow (an empty one clears it).
    Raises ``GiftError`` (and nothing else) for malformed input, naming the line the
    offending question starts on.
    """
    text = decode_source(text, "GIFT", GiftError)

    questions: list[Question] = []
    category = ""
    for block in _blocks(text):
        parsed = _read_block(block)
        if isinstance(parsed, str):
            category = parsed
        elif parsed is not None:
            if category:
                parsed.options["category"] = category
            questions.append(parsed)
    return questions


def _blocks(text: str) -> Iterable[list[tuple[int, str]]]:
    """Moodle's readquestions(): trimmed non-blank lines, split at blank lines."""
    block: list[tuple[int, str]] = []
    for number, raw in numbered_lines(text):
        line = trim(raw)
        # Moodle tests empty($line), which PHP also finds true for "0"; we do not copy that
        # slip, so a line holding just 0 stays part of its question.
        if line:
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _read_block(block: list[tuple[int, str]]) -> Question | str | None:
    """Moodle's readquestion(): a question, a category name (str), or None for comments only."""
    comments: list[str] = []
    lines: list[str] = []
    line_no: int | None = None
    for number, line in block:
        if line.startswith("//"):
            comments.append(line)
            lines.append(" ")  # Moodle blanks comment lines rather than dropping them
        else:
            lines.append(line)
            if line_no is None:
                line_no = number
    text = trim("\n".join(lines))
    if not text or line_no is None:
        return None
    text = escape_pre(text)

    if text.startswith("$CATEGORY:"):
        if "\n" in text:
            # Moodle takes the whole block as the category's name, so a question written
            # right under the line silently vanishes into it. Stricter than Moodle.
            raise GiftError("a $CATEGORY: line must be followed by a blank line", line_no)
        return trim(escape_post(text[len("$CATEGORY:") :]))

    name: str | None = None
    if text.startswith("::"):
        text = text[2:]
        finish = text.find("::")
        # Without a closing "::" Moodle takes the rest as question text; so do we.
        if finish >= 0:
            name = clean_name(escape_post(text[:finish]))
            text = trim(text[finish + 2 :])

    start, finish = text.find("{"), text.find("}")
    description = start < 0 and finish < 0
    if description:
        answertext = ""
        questiontext = text
    else:
        if start < 0:
            raise GiftError("'}' without an opening '{' (write \\} for a literal brace)", line_no)
        if finish < 0:
            raise GiftError("'{' is never closed with '}' (write \\{ for a literal brace)", line_no)
        # Stricter than Moodle, which runs these cases together into garbled text or answers.
        if finish < start:
            raise GiftError("'}' comes before '{' (write \\} for a literal brace)", line_no)
        if "{" in text[start + 1 : finish]:
            raise GiftError("'{' inside an answer block: is a '}' missing?", line_no)
        if "{" in text[finish + 1 :] or "}" in text[finish + 1 :]:
            raise GiftError(
                "more than one answer block: separate questions with a blank line "
                "(write \\{ and \\} for literal braces)",
                line_no,
            )
        answertext = trim(text[start + 1 : finish])
        # An answer block at the very end is removed; one inside the text leaves a blank.
        blank = "" if text.endswith("}") else BLANK
        questiontext = text[:start] + blank + text[finish + 1 :]

    general_feedback = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        general_feedback = answertext[separator + 4 :]
        answertext = trim(answertext[:separator])

    qtext = parse_text_with_format(questiontext, DEFAULT_FORMAT)
    qfmt = qtext.format
    if not qtext.text:
        raise GiftError("the question text is empty", line_no)
    gfeedback = parse_text_with_format(general_feedback, qfmt)
    options: dict[str, Any] = {"text_format": qfmt}
    if own_format(gfeedback, qfmt):
        options["general_feedback_format"] = gfeedback.format
    idnumber, tags = _extract_idnumber_and_tags("\n".join(comments))
    if idnumber:
        options["idnumber"] = idnumber
    if tags:
        options["tags"] = tags

    kind = gift_kind(None if description else answertext)
    question = Question(
        # Moodle keeps an explicit empty name "::::"; a name is required here, so an empty
        # one gets the default name like a missing one.
        name=name or default_question_name(qtext.text),
        qtype=kind.qtype,
        text=qtext.text,
        general_feedback=gfeedback.text,
        options=options,
        line=line_no,
    )

    kind.read_gift(question, answertext, line_no)
    return question
