"""Chinese-aware search text.

Neither SQLite's FTS5 nor PostgreSQL's parsers split Chinese into words, so "计量" would never
match "计量基础知识". Like Lucene's CJK analyzer, runs of Han characters become overlapping
bigrams (计量 量基 基础 础知 知识) both in the index and in the query; other text passes through,
so PostgreSQL still stems English words.
"""

import re

from django.utils.html import strip_tags

CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def _bigrams(run):
    if len(run) == 1:
        return run
    return " ".join(run[i : i + 2] for i in range(len(run) - 1))


def segment(text):
    return CJK_RUN.sub(lambda match: f" {_bigrams(match.group())} ", text or "")


def stream_text(stream):
    """The readable text of a lesson body, for search and for length checks."""
    parts = []
    for block in stream:
        value = block.value
        if block.block_type == "heading":
            parts.append(value["text"])
        elif block.block_type in {"paragraph", "callout"}:
            parts.append(strip_tags(value.source))
        elif block.block_type == "table":
            parts.extend(str(cell) for row in value.get("data") or [] for cell in row if cell)
        elif block.block_type in {"image", "video"}:
            parts.append(value.get("caption") or "")
    return "\n".join(part for part in parts if part)
