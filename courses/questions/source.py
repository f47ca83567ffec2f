"""Reading a question file's text, as Moodle's importers read it: one place for GIFT and Aiken.

Both formats arrive as uploaded bytes or as text, must be UTF-8, may start with a byte order
mark, may break lines the Unix, Windows or old Mac way, and name questions after their text
the way Moodle does. Kept here once so the two readers cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# PHP's trim() removes exactly these; str.strip() would also eat e.g. the ideographic space
# U+3000 that Chinese text may legitimately start or end with.
PHP_WHITESPACE = " \t\n\r\0\x0b"
DEFAULT_NAME = "Question name"  # Moodle's get_string('questionname', 'question')
DEFAULT_NAME_LENGTH = 80  # Moodle's create_default_question_name()

_LINE_SPLIT_RE = re.compile(r"\r\n|\r|\n")
_TAG_RE = re.compile(r"<(?=[A-Za-z/!?])[^>]*>")


def php_trim(text: str) -> str:
    return text.strip(PHP_WHITESPACE)


def decode_source(text: str | bytes, format_name: str, error: type[Exception]) -> str:
    """The file's text: bytes decoded as UTF-8, a leading byte order mark dropped.

    Anything that is not UTF-8 bytes or text raises ``error`` (the reader's own exception
    class, called with the message), naming the format and, for bad bytes, where they are.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise error(
                f"{format_name} files must be UTF-8 ({exc.reason} at byte {exc.start})"
            ) from None
    if not isinstance(text, str):
        raise error(f"{format_name} input must be text, not {type(text).__name__}")
    return text.removeprefix("\ufeff")  # Moodle's readdata() drops a UTF-8 byte order mark


def numbered_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number from 1, line)`` for each line, whichever line breaks the file uses."""
    return enumerate(_LINE_SPLIT_RE.split(text), start=1)


def shorten(text: str, ideal: int) -> str:
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


def default_question_name(text: str) -> str:
    """Moodle's create_default_question_name(): the start of the text, without HTML tags."""
    plain = _TAG_RE.sub("", text)
    name = php_trim(plain if len(plain) <= DEFAULT_NAME_LENGTH else shorten(plain, 80))
    return name or DEFAULT_NAME
