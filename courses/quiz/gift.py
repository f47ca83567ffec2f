"""GIFT, Moodle's plain-text question format: ``parse_gift`` reads it, ``dump_gift`` writes it.

The parser follows Moodle's importer (``question/format/gift/format.php`` with
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

An answer block that is not at the end of the text makes a missing-word question: the text
gets ``_____`` where the block stood.

Where Moodle would import something other than what the author evidently meant, or crash, the
parser raises ``GiftError`` instead; a comment says "stricter than Moodle" at each such
place. ``GiftError`` is the only exception ``parse_gift`` raises, whatever the input.

The writer produces Moodle's export layout and always writes what the parser reads back as
the same question: ``parse_gift(dump_gift(qs))`` equals ``qs`` (ignoring ``line``). Questions
GIFT cannot express raise ``GiftError`` from ``to_gift``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from courses.quiz.questions import (
    BLANK,
    DEFAULT_FORMAT,
    TEXT_FORMATS,
    Choice,
    Question,
    QuestionType,
    canonical_fraction,
)

__all__ = ["GiftError", "dump_gift", "parse_gift", "to_gift"]


class GiftError(ValueError):
    """Malformed GIFT (or a question GIFT cannot express); ``line`` is where the question starts."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


# PHP's trim() removes exactly these; str.strip() would also eat e.g. the ideographic space
# U+3000 that Chinese text may legitimately start or end with.
PHP_WHITESPACE = " \t\n\r\0\x0b"
DEFAULT_NAME = "Question name"  # Moodle's get_string('questionname', 'question')
NAME_MAX_LENGTH = 255  # Moodle's question.name column
DEFAULT_NAME_LENGTH = 80  # Moodle's create_default_question_name()

# Escaped control characters are replaced by a placeholder while the question is taken apart
# (Moodle's escapedchar_pre/escapedchar_post). Moodle's placeholders are ASCII ("&&058;") and
# so turn a literal "&&058;" in the text into ":"; ours start with a private-use character
# and any such character already in the text is itself encoded, so no text is ever changed.
_PH = "\ue000"
_ESCAPED_CODES = {":": "1", "#": "2", "=": "3", "{": "4", "}": "5", "~": "6", "n": "7"}
_CODE_CHARS = {"0": _PH, "1": ":", "2": "#", "3": "=", "4": "{", "5": "}", "6": "~", "7": "\n"}
_ESCAPE_RE = re.compile(r"\\([\\:#={}~n])")
_PLACEHOLDER_RE = re.compile(_PH + "(.)", re.S)

# Moodle's answer-weight regex is /^%\-*([0-9]{1,2})\.?([0-9]*)%/; we accept the numbers it
# accepts and refuse the rest with an error (see _take_weight).
_WEIGHT_RE = re.compile(r"-?[0-9]+(?:\.[0-9]*)?")
# PHP's is_numeric() for the strings a GIFT numerical answer can hold (already trimmed).
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_MAX_EXPONENT = 1000  # refuse 1e999999999: no quiz needs it and arithmetic on it is costly
_LINE_SPLIT_RE = re.compile(r"\r\n|\r|\n")
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])[^>]*>")
_FORMAT_MARKER_RE = re.compile(r"\[(?:moodle|html|plain|markdown)\]")
# Moodle's extract_idnumber_and_tags_from_comment(): [:cntrl:] is ASCII 0-31 and 127.
_IDNUMBER_RE = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG_TOKEN_RE = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def _trim(text: str) -> str:
    return text.strip(PHP_WHITESPACE)


def _escape_pre(text: str) -> str:
    """Moodle's escapedchar_pre: ``\\\\`` becomes ``\\``, escaped control chars placeholders."""
    text = text.replace(_PH, _PH + "0")
    return _ESCAPE_RE.sub(
        lambda m: "\\" if m.group(1) == "\\" else _PH + _ESCAPED_CODES[m.group(1)], text
    )


def _escape_post(text: str) -> str:
    """Moodle's escapedchar_post: placeholders back to the characters they stand for."""
    return _PLACEHOLDER_RE.sub(lambda m: _CODE_CHARS.get(m.group(1), m.group(1)), text)


@dataclass
class _Text:
    text: str
    format: str


def _parse_text_with_format(text: str, default: str) -> _Text:
    """Moodle's parse_text_with_format: a leading ``[format]`` marker, then unescape and trim."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in TEXT_FORMATS:
            fmt = text[1:end]
            text = text[end + 1 :]
    return _Text(_trim(_escape_post(text)), fmt)


def _own_format(parsed: _Text, inherited: str) -> str:
    """The format to store for a text: "" when it is the inherited one (or the text is empty)."""
    return parsed.format if parsed.text and parsed.format != inherited else ""


def _comment_parser(answer: str, default: str) -> tuple[_Text, _Text]:
    """Moodle's commentparser: ``answer#feedback``, each with its own optional format."""
    text, sep, feedback = answer.partition("#")
    parsed = _parse_text_with_format(_trim(text), default)
    if not sep:
        return parsed, _Text("", default)
    return parsed, _parse_text_with_format(_trim(feedback), default)


def _shorten(text: str, ideal: int) -> str:
    """Moodle's shorten_text() on plain text: cut near ``ideal`` characters at a space or dot."""
    if len(text) <= ideal:
        return text
    ending = "..."
    cut = text[: ideal - len(ending)]
    for k in range(len(cut) - 1, 0, -1):
        # Moodle breaks after a space or dot, or anywhere in CJK text (UTF-8 of 3+ bytes).
        if cut[k] in ". " or ord(cut[k]) >= 0x800:
            cut = cut[: k + 1]
            break
    return cut + ending


def _strip_tags(text: str) -> str:
    return _TAG_RE.sub("", text)


def default_question_name(text: str) -> str:
    """Moodle's create_default_question_name(): the start of the text, without HTML tags."""
    plain = _strip_tags(text)
    name = _trim(plain if len(plain) <= DEFAULT_NAME_LENGTH else _shorten(plain, 80))
    return name or DEFAULT_NAME


def _clean_name(name: str) -> str:
    # Moodle's clean_question_name() also strips HTML tags (PARAM_TEXT); we keep the name as
    # written, because our templates escape it and "x < y" is a fine name.
    name = _trim(name)
    if len(name) > NAME_MAX_LENGTH:
        name = _trim(_shorten(name, NAME_MAX_LENGTH - 4))
    return name


def _extract_idnumber_and_tags(comments: str) -> tuple[str, list[str]]:
    """Moodle's extract_idnumber_and_tags_from_comment(): ``[id:…]`` and ``[tag:…]``."""
    match = _IDNUMBER_RE.search(comments)
    idnumber = match.group(1).strip(PHP_WHITESPACE).replace("\\]", "]") if match else ""
    tags = [_trim(raw).replace("\\]", "]") for raw in _TAG_TOKEN_RE.findall(comments)]
    return idnumber, [tag for tag in tags if tag]


def _parse_number(raw: str, line: int, what: str) -> Decimal:
    text = _trim(raw)
    if not _NUMBER_RE.fullmatch(text):
        raise GiftError(f"numerical {what} {text!r} is not a number", line)
    number = Decimal(text)
    if abs(number.adjusted()) > _MAX_EXPONENT:
        raise GiftError(f"numerical {what} {text!r} is out of range", line)
    return number


def _take_weight(answer: str, line: int) -> tuple[Decimal | None, str]:
    """Split a leading ``%weight%`` off an answer: ``(fraction or None, rest)``.

    Moodle reads ``%50%`` and ``%-33.3%``; anything else between two percent signs it silently
    keeps as answer text with the default weight. Stricter than Moodle: that is nearly always
    a typo for a weight, so it is an error here. An answer that must start with a percent
    sign can be written with an explicit weight first, e.g. ``~%0%%d format``.
    """
    if not answer.startswith("%"):
        return None, answer
    end = answer.find("%", 1)
    if end < 0:
        return None, answer  # a lone percent sign is text, as in Moodle
    raw = answer[1:end]
    if not _WEIGHT_RE.fullmatch(raw):
        raise GiftError(f"answer weight %{_escape_post(raw)}% is not a number", line)
    weight = Decimal(raw)
    if abs(weight) > 100:
        # Moodle only imports weights from its list of grades, all within -100%..100%.
        raise GiftError(f"answer weight %{raw}% is outside -100%..100%", line)
    return canonical_fraction(weight / 100), answer[end + 1 :]


def _split_answers(answertext: str, separator: str) -> list[str]:
    """Moodle's explode-then-drop-empty-first idiom used by every answer list."""
    parts = answertext.split(separator)
    parts[0] = _trim(parts[0])
    if not parts[0]:
        parts.pop(0)
    return parts


def parse_gift(text: str | bytes) -> list[Question]:
    """Parse GIFT text into questions, in file order.

    ``$CATEGORY:`` lines are not questions: the category they name is recorded in
    ``options["category"]`` of the questions that follow (an empty one clears it).
    Raises ``GiftError`` (and nothing else) for malformed input, naming the line the
    offending question starts on.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise GiftError(
                f"GIFT files must be UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None
    if not isinstance(text, str):
        raise GiftError(f"GIFT input must be text, not {type(text).__name__}")
    text = text.removeprefix("\ufeff")  # Moodle's readdata() drops a UTF-8 byte order mark

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
    for number, raw in enumerate(_LINE_SPLIT_RE.split(text), start=1):
        line = _trim(raw)
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
    text = _trim("\n".join(lines))
    if not text or line_no is None:
        return None
    text = _escape_pre(text)

    if text.startswith("$CATEGORY:"):
        if "\n" in text:
            # Moodle takes the whole block as the category's name, so a question written
            # right under the line silently vanishes into it. Stricter than Moodle.
            raise GiftError("a $CATEGORY: line must be followed by a blank line", line_no)
        return _trim(_escape_post(text[len("$CATEGORY:") :]))

    name: str | None = None
    if text.startswith("::"):
        text = text[2:]
        finish = text.find("::")
        # Without a closing "::" Moodle takes the rest as question text; so do we.
        if finish >= 0:
            name = _clean_name(_escape_post(text[:finish]))
            text = _trim(text[finish + 2 :])

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
        answertext = _trim(text[start + 1 : finish])
        # An answer block at the very end is removed; one inside the text leaves a blank.
        blank = "" if text.endswith("}") else BLANK
        questiontext = text[:start] + blank + text[finish + 1 :]

    general_feedback = ""
    separator = answertext.rfind("####")
    if separator >= 0:
        general_feedback = answertext[separator + 4 :]
        answertext = _trim(answertext[:separator])

    qtext = _parse_text_with_format(questiontext, DEFAULT_FORMAT)
    qfmt = qtext.format
    if not qtext.text:
        raise GiftError("the question text is empty", line_no)
    gfeedback = _parse_text_with_format(general_feedback, qfmt)
    options: dict[str, Any] = {"text_format": qfmt}
    if _own_format(gfeedback, qfmt):
        options["general_feedback_format"] = gfeedback.format
    idnumber, tags = _extract_idnumber_and_tags("\n".join(comments))
    if idnumber:
        options["idnumber"] = idnumber
    if tags:
        options["tags"] = tags

    question = Question(
        # Moodle keeps an explicit empty name "::::"; a name is required here, so an empty
        # one gets the default name like a missing one.
        name=name or default_question_name(qtext.text),
        qtype=QuestionType.DESCRIPTION,
        text=qtext.text,
        general_feedback=gfeedback.text,
        options=options,
        line=line_no,
    )

    if description:
        return question
    if answertext == "":
        question.qtype = QuestionType.ESSAY
    elif answertext.startswith("#"):
        _read_numerical(question, answertext, line_no)
    elif "~" in answertext:
        _read_multichoice(question, answertext, line_no)
    elif "=" in answertext and "->" in answertext:
        _read_matching(question, answertext, line_no)
    else:
        check = answertext
        if answertext.find("#") > 0:
            check = _trim(answertext[: answertext.find("#")])
        if check in _TRUE_FALSE:
            _read_true_false(question, answertext)
        else:
            _read_short_answer(question, answertext, line_no)
    return question


def _read_multichoice(question: Question, answertext: str, line: int) -> None:
    qfmt = question.text_format
    # Moodle: any "=" makes it single choice; only "~" answers (with weights) make it multiple.
    single = "=" in answertext
    question.qtype = QuestionType.SINGLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE
    answers = _split_answers(answertext.replace("=", "~="), "~")
    if len(answers) < 2:
        raise GiftError("a multiple-choice question needs at least 2 answers", line)
    for raw in answers:
        answer = _trim(raw)
        if answer.startswith("="):
            fraction: Decimal | None = Decimal(1)
            weight, answer = _take_weight(answer[1:], line)
            # Moodle takes "=%50%x" as the text "%50%x" worth 100%. Stricter than Moodle: an
            # explicit weight after "=" may only repeat the 100% that "=" means.
            if weight is not None and weight != 1:
                raise GiftError("an '=' answer is worth 100%; write ~%50% for partial credit", line)
        else:
            fraction, answer = _take_weight(answer, line)
        text, feedback = _comment_parser(answer, qfmt)
        if not text.text:
            # Moodle imports the empty answer and silently drops it when saving, which can
            # drop the right answer; stricter than Moodle, we refuse it.
            raise GiftError("an answer of the multiple-choice question is empty", line)
        question.choices.append(
            Choice(
                text=text.text,
                fraction=fraction if fraction is not None else Decimal(0),
                feedback=feedback.text,
                text_format=_own_format(text, qfmt),
                feedback_format=_own_format(feedback, qfmt),
            )
        )


def _read_matching(question: Question, answertext: str, line: int) -> None:
    qfmt = question.text_format
    question.qtype = QuestionType.MATCHING
    for raw in _split_answers(answertext, "="):
        answer = _trim(raw)
        left, arrow, right = answer.partition("->")
        if not arrow:
            raise GiftError(f"matching answer {_escape_post(answer)!r} has no '->'", line)
        left_text = _parse_text_with_format(left, qfmt)
        right_text = _trim(_escape_post(right))
        if not right_text:
            # Stricter than Moodle's importer (its editing form refuses this too).
            raise GiftError(
                f"matching answer {_escape_post(answer)!r} has nothing after '->'", line
            )
        question.choices.append(
            Choice(text=left_text.text, text_format=_own_format(left_text, qfmt), match=right_text)
        )
    # Moodle counts distractors ("= -> Chat") too; a matching question needs two real pairs.
    if sum(1 for choice in question.choices if choice.text) < 2:
        raise GiftError("a matching question needs at least 2 pairs", line)


def _read_true_false(question: Question, answertext: str) -> None:
    qfmt = question.text_format
    question.qtype = QuestionType.TRUE_FALSE
    bits = answertext.split("#", 2)
    answer = _parse_text_with_format(_trim(bits[0]), qfmt)
    wrong = _parse_text_with_format(_trim(bits[1]), qfmt) if len(bits) > 1 else _Text("", qfmt)
    right = _parse_text_with_format(_trim(bits[2]), qfmt) if len(bits) > 2 else _Text("", qfmt)
    # Moodle: the first feedback is shown for a wrong answer, the second for a right one.
    question.options["correct"] = _TRUE_FALSE[answer.text]
    question.options["feedback_wrong"] = wrong.text
    question.options["feedback_right"] = right.text
    if _own_format(wrong, qfmt):
        question.options["feedback_wrong_format"] = wrong.format
    if _own_format(right, qfmt):
        question.options["feedback_right_format"] = right.format


def _read_short_answer(question: Question, answertext: str, line: int) -> None:
    qfmt = question.text_format
    question.qtype = QuestionType.SHORT_ANSWER
    answers = _split_answers(answertext, "=")
    if not answers:
        raise GiftError("a short-answer question needs at least 1 answer", line)
    for raw in answers:
        weight, answer = _take_weight(_trim(raw), line)
        text, feedback = _comment_parser(answer, qfmt)
        if not text.text:
            # Moodle drops empty answers when saving; stricter than Moodle, we refuse them.
            raise GiftError("an answer of the short-answer question is empty", line)
        question.choices.append(
            Choice(
                text=text.text,  # Moodle keeps no format for short-answer answers
                fraction=weight if weight is not None else Decimal(1),
                feedback=feedback.text,
                feedback_format=_own_format(feedback, qfmt),
            )
        )


def _read_numerical(question: Question, answertext: str, line: int) -> None:
    qfmt = question.text_format
    question.qtype = QuestionType.NUMERICAL
    body = answertext[1:]
    # Moodle: everything from the first "~" on is the feedback for any other answer.
    tilde = body.find("~")
    wrong = body[tilde:] if tilde >= 0 else ""
    if tilde >= 0:
        body = body[:tilde]
    answers = _split_answers(body, "=")
    if not answers:
        raise GiftError("a numerical question needs at least 1 answer", line)
    for raw in answers:
        weight, answer = _take_weight(_trim(raw), line)
        text, feedback = _comment_parser(answer, qfmt)
        choice = Choice(
            fraction=weight if weight is not None else Decimal(1),
            feedback=feedback.text,
            feedback_format=_own_format(feedback, qfmt),
        )
        spec = text.text
        # Moodle's order of tests: "min..max" (not at the start), then "answer:tolerance".
        if spec == "*":
            choice.text = "*"
        elif spec.find("..") > 0:
            low_raw, _, high_raw = spec.partition("..")
            choice.low = _parse_number(low_raw, line, "range start")
            choice.high = _parse_number(high_raw, line, "range end")
            if choice.low > choice.high:
                # Moodle imports it as a negative tolerance that no answer can meet.
                raise GiftError(f"numerical range {spec!r} ends below its start", line)
        elif spec.find(":") > 0:
            value_raw, _, tolerance_raw = spec.partition(":")
            choice.value = _parse_number(value_raw, line, "answer")
            choice.tolerance = _parse_number(tolerance_raw, line, "tolerance")
            if choice.tolerance < 0:
                raise GiftError(f"numerical tolerance in {spec!r} is negative", line)
        else:
            # Moodle's check here is `is_numeric($ans) || $ans = '*'`, an assignment that
            # turns any non-number into a catch-all worth full marks; we report it instead.
            choice.value = _parse_number(spec, line, "answer")
            choice.tolerance = Decimal(0)
        question.choices.append(choice)
    if all(choice.is_catch_all for choice in question.choices):
        raise GiftError("a numerical question needs at least 1 numeric answer", line)
    if wrong:
        _, feedback = _comment_parser(wrong, qfmt)
        question.choices.append(
            Choice(
                text="*",
                fraction=Decimal(0),
                feedback=feedback.text,
                feedback_format=_own_format(feedback, qfmt),
            )
        )


# --- Writing -------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Moodle's repchar(): escape the control characters and newlines, drop carriage returns."""
    out = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


def _write_text(text: str, fmt: str, default: str) -> str:
    """Moodle's write_questiontext(): a ``[format]`` marker when it differs, then the text.

    Unlike Moodle, a text that itself starts with something like ``[html]`` gets its format
    marker even when that is the default, so the reader does not mistake it for a marker.
    """
    if text and (fmt != default or _FORMAT_MARKER_RE.match(text)):
        return f"[{fmt}]" + _escape(text)
    return _escape(text)


def _weight(fraction: Decimal) -> str:
    """A fraction as a GIFT weight: ``Decimal('0.5')`` -> ``50``, never in E notation."""
    return format(canonical_fraction(fraction * 100), "f")


def _check_text(text: str, what: str, line: int | None, *, required: bool = True) -> None:
    """Refuse texts the reader would not give back unchanged."""
    if required and not text:
        raise GiftError(f"{what} is empty", line)
    if text != _trim(text):
        raise GiftError(f"{what} starts or ends with white space, which GIFT drops", line)
    if "\r" in text:
        raise GiftError(f"{what} contains a carriage return, which GIFT drops", line)


def _check_format(fmt: str, what: str, line: int | None) -> None:
    if fmt and fmt not in TEXT_FORMATS:
        raise GiftError(f"{what} has unknown text format {fmt!r}", line)


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
    name = _clean_name(question.name)
    if not name or name != question.name:
        raise GiftError("the question name must be 1-255 characters, not padded", line)
    _check_text(question.text, "the question text", line)
    _check_text(question.general_feedback, "the general feedback", line, required=False)
    gf_format = question.options.get("general_feedback_format", "") or qfmt
    _check_format(gf_format, "the general feedback", line)

    out = ""
    idnumber = question.options.get("idnumber", "")
    tags = question.options.get("tags", [])
    if idnumber or tags:
        tokens = [f"[id:{_comment_token(idnumber, line)}]"] if idnumber else []
        tokens += [f"[tag:{_comment_token(tag, line)}]" for tag in tags]
        out += "// " + " ".join(tokens) + "\n"

    general = ""
    if question.general_feedback:
        general = "####" + _write_text(question.general_feedback, gf_format, qfmt)

    qtype = question.qtype
    if qtype == QuestionType.DESCRIPTION:
        if question.general_feedback:
            raise GiftError("a description cannot have general feedback in GIFT", line)
        block = None
    elif qtype == QuestionType.ESSAY:
        block = "{" + general + "}"
    elif qtype == QuestionType.TRUE_FALSE:
        block = "{" + _true_false_answers(question) + general + "}"
    else:
        writer = {
            QuestionType.SINGLE_CHOICE: _multichoice_answers,
            QuestionType.MULTIPLE_RESPONSE: _multichoice_answers,
            QuestionType.SHORT_ANSWER: _short_answers,
            QuestionType.NUMERICAL: _numerical_answers,
            QuestionType.MATCHING: _matching_answers,
        }[qtype]
        lead = "#" if qtype == QuestionType.NUMERICAL else ""
        lines = writer(question)
        if general:
            lines.append(general)
        block = "{" + lead + "\n" + "".join(f"\t{entry}\n" for entry in lines) + "}"

    out += "::" + _escape(name) + "::"
    text = question.text
    marker = f"[{qfmt}]" if qfmt != DEFAULT_FORMAT or _FORMAT_MARKER_RE.match(text) else ""
    blank = text.find(BLANK) if block is not None else -1
    if block is None:
        out += marker + _escape(text)
    elif blank >= 0 and text[blank + len(BLANK) :]:
        # Missing word: the block goes where the blank is, and the reader puts it back.
        out += marker + _escape(text[:blank]) + block + _escape(text[blank + len(BLANK) :])
    else:
        out += marker + _escape(text) + block
    return out + "\n"


def _comment_token(value: str, line: int | None) -> str:
    if not isinstance(value, str) or not value or value != _trim(value):
        raise GiftError(f"idnumber or tag {value!r} must be a non-empty trimmed string", line)
    if re.search(r"[\x00-\x1f\x7f<>`\\]", value):
        raise GiftError(
            f"idnumber or tag {value!r} has a character GIFT comments cannot hold", line
        )
    return value.replace("]", "\\]")


def _answer_text(choice: Choice, qfmt: str, what: str, line: int | None) -> str:
    """An answer with its feedback: ``text#feedback`` with their format markers."""
    _check_text(choice.text, what, line)
    _check_text(choice.feedback, f"the feedback of {what}", line, required=False)
    _check_format(choice.text_format, what, line)
    _check_format(choice.feedback_format, f"the feedback of {what}", line)
    out = _write_text(choice.text, choice.text_format or qfmt, qfmt)
    if choice.feedback:
        out += "#" + _write_text(choice.feedback, choice.feedback_format or qfmt, qfmt)
    return out


def _check_fraction(fraction: Decimal, line: int | None) -> None:
    if not -1 <= fraction <= 1:
        raise GiftError(f"fraction {fraction} is outside -1..1", line)


def _multichoice_answers(question: Question) -> list[str]:
    line, qfmt = question.line, question.text_format
    single = question.qtype == QuestionType.SINGLE_CHOICE
    if len(question.choices) < 2:
        raise GiftError("a multiple-choice question needs at least 2 choices", line)
    if single and not any(choice.fraction == 1 for choice in question.choices):
        raise GiftError("a single-choice question needs a 100% choice to be GIFT", line)
    # The reader needs a "~" to see multiple choice at all (Moodle's exporter misses this and
    # writes an all-correct single choice that reads back as short answer); "~%100%" is as
    # good as "=" once another "=" makes the question single choice.
    tilde_for_last = single and all(choice.fraction == 1 for choice in question.choices)
    lines = []
    for number, choice in enumerate(question.choices, start=1):
        _check_fraction(choice.fraction, line)
        answer = _answer_text(choice, qfmt, f"choice {number}", line)
        starts_with_percent = answer.startswith("%")
        if tilde_for_last and number == len(question.choices):
            prefix = "~%100%"
        elif single and choice.fraction == 1:
            prefix = "=%100%" if starts_with_percent else "="
        elif choice.fraction == 0 and not starts_with_percent:
            prefix = "~"
        else:
            prefix = f"~%{_weight(choice.fraction)}%"
        lines.append(prefix + answer)
    return lines


def _short_answers(question: Question) -> list[str]:
    line, qfmt = question.line, question.text_format
    if not question.choices:
        raise GiftError("a short-answer question needs at least 1 answer", line)
    lines = []
    for number, choice in enumerate(question.choices, start=1):
        what = f"answer {number}"
        _check_fraction(choice.fraction, line)
        _check_text(choice.text, what, line)
        _check_text(choice.feedback, f"the feedback of {what}", line, required=False)
        _check_format(choice.feedback_format, f"the feedback of {what}", line)
        # The reader would take "=" together with "->" for a matching question.
        if "->" in choice.text or "->" in choice.feedback:
            raise GiftError(f"{what} of a short-answer question cannot contain '->'", line)
        # Short-answer answers have no format of their own: write the question's one only
        # when the text starts with something the reader would take for a marker.
        text = _write_text(choice.text, qfmt, qfmt)
        feedback = _write_text(choice.feedback, choice.feedback_format or qfmt, qfmt)
        lines.append(f"=%{_weight(choice.fraction)}%{text}#{feedback}")
    return lines


def _numerical_answers(question: Question) -> list[str]:
    line, qfmt = question.line, question.text_format
    choices = question.choices
    if not any(not choice.is_catch_all for choice in choices):
        raise GiftError("a numerical question needs at least 1 numeric answer", line)
    lines = []
    for number, choice in enumerate(choices, start=1):
        what = f"answer {number}"
        _check_fraction(choice.fraction, line)
        _check_text(choice.feedback, f"the feedback of {what}", line, required=False)
        _check_format(choice.feedback_format, f"the feedback of {what}", line)
        feedback = _write_text(choice.feedback, choice.feedback_format or qfmt, qfmt)
        if choice.is_catch_all:
            if choice.fraction == 0 and number == len(choices):
                lines.append(f"~#{feedback}")  # Moodle's own spelling of "any other answer"
            else:
                lines.append(f"=%{_weight(choice.fraction)}%*#{feedback}")
            continue
        if choice.low is not None and choice.high is not None and choice.value is None:
            _check_number(choice.low, line)
            _check_number(choice.high, line)
            if choice.low > choice.high:
                raise GiftError(f"{what}: range ends below its start", line)
            spec = f"{choice.low}..{choice.high}"
        elif choice.value is not None and choice.low is None and choice.high is None:
            tolerance = choice.tolerance if choice.tolerance is not None else Decimal(0)
            _check_number(choice.value, line)
            _check_number(tolerance, line)
            if tolerance < 0:
                raise GiftError(f"{what}: tolerance is negative", line)
            spec = f"{choice.value}:{tolerance}"
        else:
            raise GiftError(f"{what} needs a value or a low..high range", line)
        lines.append(f"=%{_weight(choice.fraction)}%{spec}#{feedback}")
    return lines


def _check_number(number: Decimal, line: int | None) -> None:
    if not number.is_finite() or abs(number.adjusted()) > _MAX_EXPONENT:
        raise GiftError(f"number {number} cannot be written in GIFT", line)


def _matching_answers(question: Question) -> list[str]:
    line, qfmt = question.line, question.text_format
    if sum(1 for choice in question.choices if choice.text) < 2:
        raise GiftError("a matching question needs at least 2 pairs", line)
    lines = []
    for number, choice in enumerate(question.choices, start=1):
        what = f"pair {number}"
        _check_text(choice.text, what, line, required=False)
        _check_text(choice.match, f"the right side of {what}", line)
        _check_format(choice.text_format, what, line)
        if "->" in choice.text:
            raise GiftError(f"the left side of {what} cannot contain '->'", line)
        left = _write_text(choice.text, choice.text_format or qfmt, qfmt)
        lines.append(f"={left} -> {_escape(choice.match)}")
    return lines


def _true_false_answers(question: Question) -> str:
    line, qfmt, options = question.line, question.text_format, question.options
    correct = options.get("correct")
    if not isinstance(correct, bool):
        raise GiftError("a true/false question needs options['correct'] True or False", line)
    parts = []
    for key in ("feedback_wrong", "feedback_right"):
        text = options.get(key, "")
        fmt = options.get(f"{key}_format", "") or qfmt
        _check_text(text, key.replace("_", " "), line, required=False)
        _check_format(fmt, key.replace("_", " "), line)
        parts.append(_write_text(text, fmt, qfmt))
    wrong, right = parts
    out = "TRUE" if correct else "FALSE"
    # Moodle's layout: "#wrong", then "#right"; an empty wrong one still needs its "#".
    if wrong:
        out += "#" + wrong
    elif right:
        out += "#"
    if right:
        out += "#" + right
    return out


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
                _check_text(wanted, "the category", question.line)
            chunks.append("$CATEGORY: " + _escape(wanted) + "\n")
            category = wanted
        chunks.append(to_gift(question))
    return "\n".join(chunks)
