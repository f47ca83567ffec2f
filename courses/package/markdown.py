"""CommonMark lesson bodies to lesson StreamField blocks and back.

The package format carries a lesson as CommonMark; the CMS edits it as blocks. Top-level
headings become heading blocks, pipe tables table blocks, block quotes key-point callouts,
and everything between them one rich-text block. ``blocks_to_markdown`` writes the same
subset back, so converting an export again yields the same blocks (import of an export
changes nothing).
"""

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "table"
)


class MarkdownError(ValueError):
    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


def markdown_to_blocks(text):
    """Return a list of (block_type, value) pairs in the lesson body's StreamField shape."""
    tokens = _md.parse(text or "")
    blocks, pending = [], []

    def flush():
        if pending:
            html = _md.renderer.render(pending, _md.options, {}).strip()
            if html:
                blocks.append(("paragraph", html))
            pending.clear()

    _refuse_outside_subset(tokens)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.level == 0 and token.type == "heading_open":
            flush()
            level = "h2" if token.tag in {"h1", "h2"} else "h3"
            blocks.append(("heading", {"level": level, "text": tokens[i + 1].content.strip()}))
            i += 3
            continue
        if token.level == 0 and token.type in {"table_open", "blockquote_open"}:
            flush()
            end = _closing(tokens, i)
            inner = tokens[i : end + 1]
            if token.type == "table_open":
                blocks.append(("table", _table_value(inner)))
            else:
                html = _md.renderer.render(inner[1:-1], _md.options, {}).strip()
                blocks.append(("callout", html))
            i = end + 1
            continue
        pending.append(token)
        i += 1
    flush()
    return blocks


def _refuse_outside_subset(tokens):
    depth = 0
    for position, token in enumerate(tokens):
        line = token.map[0] + 1 if token.map else None
        if token.type in {"fence", "code_block", "hr"}:
            raise MarkdownError(
                "code blocks and horizontal rules are not part of a lesson body", line
            )
        if token.level > 0 and token.type in {"heading_open", "table_open", "blockquote_open"}:
            raise MarkdownError(
                "headings, tables and key points cannot sit inside a list or a key point", line
            )
        if token.type == "list_item_open" and tokens[position + 1].type == "list_item_close":
            raise MarkdownError("a list item is empty", line)
        if token.type in {"bullet_list_open", "ordered_list_open"}:
            depth += 1
            if depth > 1:
                raise MarkdownError("nested lists are not supported; use one level", line)
        elif token.type in {"bullet_list_close", "ordered_list_close"}:
            depth -= 1


def _closing(tokens, start):
    open_type = tokens[start].type
    close_type = open_type.replace("_open", "_close")
    depth = 0
    for j in range(start, len(tokens)):
        if tokens[j].type == open_type:
            depth += 1
        elif tokens[j].type == close_type:
            depth -= 1
            if depth == 0:
                return j
    return len(tokens) - 1


def _table_value(tokens):
    rows, row = [], None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "inline" and row is not None:
            row.append(token.content.strip())
        elif token.type == "tr_close":
            rows.append(row)
            row = None
    return {
        "data": rows,
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "",
    }


def blocks_to_markdown(blocks):
    """The inverse of ``markdown_to_blocks`` for (block_type, value) pairs."""
    parts = []
    for block_type, value in blocks:
        if block_type == "heading":
            text = value["text"]
            # A closing run of #s is not part of the text, so a text ending in # needs one.
            closing = " #" if text.endswith("#") else ""
            parts.append(("##" if value["level"] == "h2" else "###") + " " + text + closing)
        elif block_type == "paragraph":
            parts.append(html_to_markdown(value))
        elif block_type == "callout":
            parts.append(
                "\n".join(
                    f"> {line}" if line else ">" for line in html_to_markdown(value).split("\n")
                )
            )
        elif block_type == "table":
            parts.append(_table_markdown(value["data"]))
        else:
            raise MarkdownError(f"a {block_type} block cannot be written to a course package")
    return "\n\n".join(part for part in parts if part) + "\n"


def _cell(text):
    return (text or "").replace("|", "\\|").replace("\n", " ")


def _table_markdown(rows):
    if not rows:
        return ""
    width = max(len(row) for row in rows)
    rows = [list(row) + [""] * (width - len(row)) for row in rows]
    lines = [
        "| " + " | ".join(_cell(c) for c in rows[0]) + " |",
        "| " + " | ".join("---" for _ in range(width)) + " |",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


class _Closing(str):
    """An emphasis marker that closes, told apart from the same characters opening."""


class _HtmlToMarkdown(HTMLParser):
    """Writes the HTML that markdown-it produces for the lesson subset back as CommonMark."""

    INLINE = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.lists = []
        self.links = []
        self.in_li = False
        self.emphasis = []  # the open emphasis tags' markers; None where one was left out
        self.last_list = None  # (tag, where it ended, whether it used the other marker)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in self.INLINE:
            self._open_inline(self.INLINE[tag])
        elif tag == "a":
            self.links.append(attrs.get("href") or "")
            self.out.append("[")
        elif tag in {"ul", "ol"}:
            self._block_break()
            # Two lists in a row are one list to CommonMark unless their markers differ.
            follows = self.last_list is not None and self.last_list[:2] == (tag, self._length())
            other = follows and not self.last_list[2]
            self.lists.append([tag, int(attrs.get("start") or 1), other])
        elif tag == "li":
            kind = self.lists[-1] if self.lists else ["ul", 1, False]
            if kind[0] == "ol":
                self.out.append(f"{kind[1]}{')' if kind[2] else '.'} ")
                kind[1] += 1
            else:
                self.out.append("* " if kind[2] else "- ")
        elif tag == "p":
            if not self.lists:
                self._block_break()
        elif tag == "br":
            self.out.append("\\\n")
        elif tag in {"h2", "h3", "h4"}:
            self._block_break()
            self.out.append("#" * int(tag[1]) + " ")

    def _open_inline(self, marker):
        """Emphasis markers that CommonMark would read differently are left out: emphasis
        inside the same emphasis adds nothing, and two runs that touch (``*a**b*``) are one."""
        if marker == "`":
            self.out.append(marker)
        elif marker in self.emphasis:
            self.emphasis.append(None)
        elif self.out and isinstance(self.out[-1], _Closing) and self.out[-1] == marker:
            self.out.pop()
            self.emphasis.append(marker)
        else:
            self.emphasis.append(marker)
            self.out.append(marker)

    def _close_inline(self, marker):
        if marker != "`":
            marker = self.emphasis.pop() if self.emphasis else None
            if marker is None:
                return
            marker = _Closing(marker)
        self.out.append(marker)

    def handle_endtag(self, tag):
        if tag in self.INLINE:
            self._close_inline(self.INLINE[tag])
        elif tag == "a":
            href = self.links.pop() if self.links else ""
            self.out.append(f"]({href})")
        elif tag == "li":
            self.out.append("\n")
        elif tag in {"ul", "ol"}:
            other = self.lists.pop()[2] if self.lists else False
            self._block_break()
            self.last_list = (tag, self._length(), other)

    def handle_data(self, data):
        if not data.strip() and "\n" in data:  # newlines between block tags are layout only
            return
        if self.out and self.out[-1] == "\\\n" and data.startswith("\n"):
            data = data[1:]  # the line break already ended the line
        if self._in_code():
            self.out.append(data)
            return
        text = _escape_markdown(data)
        if self._at_line_start():
            text = _escape_line_start(text)
        self.out.append(text)

    def _at_line_start(self):
        last_line = "".join(self.out).rsplit("\n", 1)[-1]
        return LIST_MARKER.sub("", last_line) == ""

    def _length(self):
        return sum(len(part) for part in self.out)

    def _in_code(self):
        return self.out.count("`") % 2 == 1

    def _block_break(self):
        text = "".join(self.out).rstrip("\n ")
        self.out = [text + "\n\n"] if text else []

    def text(self):
        return "".join(self.out).strip()


LIST_MARKER = re.compile(r"^(?:[-*] |\d+[.)] |> )")
BLOCK_START = re.compile(r"^(\s*)([-+#>=]|\d+(?=[.)]))")


def _escape_line_start(text):
    """Escape what would open a list, heading or quote when it starts a line."""
    return BLOCK_START.sub(
        lambda m: (
            m.group(1) + (m.group(2) + "\\" if m.group(2)[0].isdigit() else "\\" + m.group(2))
        ),
        text,
        count=1,
    )


def _escape_markdown(text):
    return "".join("\\" + char if char in "*_`[]\\<" else char for char in text)


def html_to_markdown(html):
    parser = _HtmlToMarkdown()
    parser.feed(html)
    parser.close()
    return parser.text()
