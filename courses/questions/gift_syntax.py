"""The pieces of GIFT syntax that the reader, the writer and each question type's answer block
share: escapes, ``[format]`` markers, ``%weight%``, ``answer#feedback``, numbers, and the
checks that a text will read back unchanged.

The reading helpers follow Moodle's importer (``question/format/gift/format.php``); their
names are Moodle's where Moodle has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from courses.questions.data import TEXT_FORMATS, Choice, canonical_fraction
from courses.questions.source import php_trim, shorten


class GiftError(ValueError):
    """Malformed GIFT (or a question GIFT cannot express); ``line`` is where the question starts."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line is not None else message)


trim = php_trim

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
# accepts and refuse the rest with an error (see take_weight).
_WEIGHT_RE = re.compile(r"-?[0-9]+(?:\.[0-9]*)?")
# PHP's is_numeric() for the strings a GIFT numerical answer can hold (already trimmed).
_NUMBER_RE = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
MAX_EXPONENT = 1000  # refuse 1e999999999: no quiz needs it and arithmetic on it is costly
NAME_MAX_LENGTH = 255  # Moodle's question.name column
FORMAT_MARKER_RE = re.compile(r"\[(?:moodle|html|plain|markdown)\]")


# --- Reading -------------------------------------------------------------------------------


def clean_name(name: str) -> str:
    # Moodle's clean_question_name() also strips HTML tags (PARAM_TEXT); we keep the name as
    # written, because our templates escape it and "x < y" is a fine name.
    name = trim(name)
    if len(name) > NAME_MAX_LENGTH:
        name = trim(shorten(name, NAME_MAX_LENGTH - 4))
    return name


def escape_pre(text: str) -> str:
    """Moodle's escapedchar_pre: ``\\\\`` becomes ``\\``, escaped control chars placeholders."""
    text = text.replace(_PH, _PH + "0")
    return _ESCAPE_RE.sub(
        lambda m: "\\" if m.group(1) == "\\" else _PH + _ESCAPED_CODES[m.group(1)], text
    )


def escape_post(text: str) -> str:
    """Moodle's escapedchar_post: placeholders back to the characters they stand for."""
    return _PLACEHOLDER_RE.sub(lambda m: _CODE_CHARS.get(m.group(1), m.group(1)), text)


@dataclass
class Text:
    text: str
    format: str


def parse_text_with_format(text: str, default: str) -> Text:
    """Moodle's parse_text_with_format: a leading ``[format]`` marker, then unescape and trim."""
    fmt = default
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in TEXT_FORMATS:
            fmt = text[1:end]
            text = text[end + 1 :]
    return Text(trim(escape_post(text)), fmt)


def own_format(parsed: Text, inherited: str) -> str:
    """The format to store for a text: "" when it is the inherited one (or the text is empty)."""
    return parsed.format if parsed.text and parsed.format != inherited else ""


def comment_parser(answer: str, default: str) -> tuple[Text, Text]:
    """Moodle's commentparser: ``answer#feedback``, each with its own optional format."""
    text, sep, feedback = answer.partition("#")
    parsed = parse_text_with_format(trim(text), default)
    if not sep:
        return parsed, Text("", default)
    return parsed, parse_text_with_format(trim(feedback), default)


def parse_number(raw: str, line: int, what: str) -> Decimal:
    text = trim(raw)
    if not _NUMBER_RE.fullmatch(text):
        raise GiftError(f"numerical {what} {text!r} is not a number", line)
    number = Decimal(text)
    if abs(number.adjusted()) > MAX_EXPONENT:
        raise GiftError(f"numerical {what} {text!r} is out of range", line)
    return number


def take_weight(answer: str, line: int) -> tuple[Decimal | None, str]:
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
        raise GiftError(f"answer weight %{escape_post(raw)}% is not a number", line)
    weight = Decimal(raw)
    if abs(weight) > 100:
        # Moodle only imports weights from its list of grades, all within -100%..100%.
        raise GiftError(f"answer weight %{raw}% is outside -100%..100%", line)
    return canonical_fraction(weight / 100), answer[end + 1 :]


def split_answers(answertext: str, separator: str) -> list[str]:
    """Moodle's explode-then-drop-empty-first idiom used by every answer list."""
    parts = answertext.split(separator)
    parts[0] = trim(parts[0])
    if not parts[0]:
        parts.pop(0)
    return parts


# --- Writing -------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Moodle's repchar(): escape the control characters and newlines, drop carriage returns."""
    out = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


def write_text(text: str, fmt: str, default: str) -> str:
    """Moodle's write_questiontext(): a ``[format]`` marker when it differs, then the text.

    Unlike Moodle, a text that itself starts with something like ``[html]`` gets its format
    marker even when that is the default, so the reader does not mistake it for a marker.
    """
    if text and (fmt != default or FORMAT_MARKER_RE.match(text)):
        return f"[{fmt}]" + escape(text)
    return escape(text)


def weight(fraction: Decimal) -> str:
    """A fraction as a GIFT weight: ``Decimal('0.5')`` -> ``50``, never in E notation."""
    return format(canonical_fraction(fraction * 100), "f")


def check_text(text: str, what: str, line: int | None, *, required: bool = True) -> None:
    """Refuse texts the reader would not give back unchanged."""
    if required and not text:
        raise GiftError(f"{what} is empty", line)
    if text != trim(text):
        raise GiftError(f"{what} starts or ends with white space, which GIFT drops", line)
    if "\r" in text:
        raise GiftError(f"{what} contains a carriage return, which GIFT drops", line)


def check_format(fmt: str, what: str, line: int | None) -> None:
    if fmt and fmt not in TEXT_FORMATS:
        raise GiftError(f"{what} has unknown text format {fmt!r}", line)


def check_fraction(fraction: Decimal, line: int | None) -> None:
    if not -1 <= fraction <= 1:
        raise GiftError(f"fraction {fraction} is outside -1..1", line)


def check_number(number: Decimal, line: int | None) -> None:
    if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
        raise GiftError(f"number {number} cannot be written in GIFT", line)


def answer_list(lines: list[str], general: str, lead: str = "") -> str:
    """Moodle's export layout of an answer block: one answer a line, indented by a tab, the
    ``####`` general feedback last; ``lead`` goes right after the brace (``#`` numerical)."""
    if general:
        lines = [*lines, general]
    return "{" + lead + "\n" + "".join(f"\t{entry}\n" for entry in lines) + "}"


def answer_text(choice: Choice, qfmt: str, what: str, line: int | None) -> str:
    """An answer with its feedback: ``text#feedback`` with their format markers."""
    check_text(choice.text, what, line)
    check_text(choice.feedback, f"the feedback of {what}", line, required=False)
    check_format(choice.text_format, what, line)
    check_format(choice.feedback_format, f"the feedback of {what}", line)
    out = write_text(choice.text, choice.text_format or qfmt, qfmt)
    if choice.feedback:
        out += "#" + write_text(choice.feedback, choice.feedback_format or qfmt, qfmt)
    return out
