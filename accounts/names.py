"""The order people expect in a list of Chinese names: by pinyin (李 before 王), not by
character code, in every database.

A key is stored beside the name, so lists sort and paginate in SQL on SQLite and PostgreSQL
alike. pypinyin is imported on first use and without its phrase dictionary: a name is not a
phrase, and the phrases cost a process some 40 MB more.
"""

import os

# Surnames that read differently from the character's common reading (单 is Shàn as a
# surname, not dān); pypinyin reads characters, not names, so the first one is corrected.
SURNAMES = {
    "单": "shan4",
    "曾": "zeng1",
    "解": "xie4",
    "仇": "qiu2",
    "区": "ou1",
    "查": "zha1",
    "朴": "piao2",
    "乐": "yue4",
    "覃": "qin2",
    "缪": "miao4",
    "盖": "ge3",
    "翟": "zhai2",
    "尉": "yu4",
    "华": "hua4",
}

MAX_LENGTH = 200


def name_sort_key(name):
    """'王小明' -> 'wang2 xiao3 ming2'; letters of other scripts stay as they are."""
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    from pypinyin import Style, lazy_pinyin

    name = (name or "").strip()
    if not name:
        return ""
    syllables = lazy_pinyin(name, style=Style.TONE3, neutral_tone_with_five=True)
    if name[0] in SURNAMES:
        syllables[0] = SURNAMES[name[0]]
    return " ".join(part.strip() for part in syllables if part.strip()).lower()[:MAX_LENGTH]
