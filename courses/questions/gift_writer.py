"""GIFT, Moodle's plain-text question format: ``to_gift`` and ``dump_gift`` write it.

The writer produces Moodle's export layout and always writes what the reader
(``gift_reader.parse_gift``) reads back as the same question: ``parse_gift(dump_gift(qs))``
equals ``qs`` (ignoring ``line``). Each question type writes its own answer block
(``courses.questions.kinds``); this module writes names, texts, comments and categories.
Questions GIFT cannot express raise ``GiftError`` from ``to_gift``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from courses.questions.data import BLANK, DEFAULT_FORMAT, TEXT_FORMATS, Question
from courses.questions.gift_syntax import (
    FORMAT_MARKER_RE,
    GiftError,
    check_format,
    check_text,
    clean_name,
    escape,
    trim,
    write_text,
)
from courses.questions.registry import kind_of

__all__ = ["GiftError", "dump_gift", "to_gift"]


def to_gift(question: Question) -> str:
    """Write one question as GIFT (Moodle's export layout), ending with a newline.

    Categories are written by ``dump_gift``. Raises ``GiftError`` for a question GIFT cannot
    express, e.g. a matching left side containing ``->`` or a single-choice question with no
    100% answer.
    """
    line = question.line
    qfmt = question.text_format
    if qfmt not in TEXT_FORMATS:
        raise GiftError(f"unknown text format {qfmt!r}", line)
    name = clean_name(question.name)
    if not name or name != question.name:
        raise GiftError("the question name must be 1-255 characters, not padded", line)
    check_text(question.text, "the question text", line)
    check_text(question.general_feedback, "the general feedback", line, required=False)
    gf_format = question.options.get("general_feedback_format", "") or qfmt
    check_format(gf_format, "the general feedback", line)

    out = ""
    idnumber = question.options.get("idnumber", "")
    tags = question.options.get("tags", [])
    if idnumber or tags:
        tokens = [f"[id:{_comment_token(idnumber, line)}]"] if idnumber else []
        tokens += [f"[tag:{_comment_token(tag, line)}]" for tag in tags]
        out += "// " + " ".join(tokens) + "\n"

    general = ""
    if question.general_feedback:
        general = "####" + write_text(question.general_feedback, gf_format, qfmt)

    block = kind_of(question).gift_block(question, general)

    out += "::" + escape(name) + "::"
    text = question.text
    marker = f"[{qfmt}]" if qfmt != DEFAULT_FORMAT or FORMAT_MARKER_RE.match(text) else ""
    blank = text.find(BLANK) if block is not None else -1
    if block is None:
        out += marker + escape(text)
    elif blank >= 0 and text[blank + len(BLANK) :]:
        # Missing word: the block goes where the blank is, and the reader puts it back.
        out += marker + escape(text[:blank]) + block + escape(text[blank + len(BLANK) :])
    else:
        out += marker + escape(text) + block
    return out + "\n"


def _comment_token(value: str, line: int | None) -> str:
    if not isinstance(value, str) or not value or value != trim(value):
        raise GiftError(f"idnumber or tag {value!r} must be a non-empty trimmed string", line)
    if re.search(r"[\x00-\x1f\x7f<>`\\]", value):
        raise GiftError(
            f"idnumber or tag {value!r} has a character GIFT comments cannot hold", line
        )
    return value.replace("]", "\\]")


def dump_gift(questions: Iterable[Question]) -> str:
    """Write questions as one GIFT file, separated by blank lines.

    A ``$CATEGORY:`` line is written whenever ``options["category"]`` changes (an empty one
    when a question without a category follows one with), so ``parse_gift`` gives the same
    questions back.
    """
    chunks = []
    category = ""
    for question in questions:
        wanted = question.options.get("category", "")
        if wanted != category:
            if wanted:
                check_text(wanted, "the category", question.line)
            chunks.append("$CATEGORY: " + escape(wanted) + "\n")
            category = wanted
        chunks.append(to_gift(question))
    return "\n".join(chunks)
