"""Set zh-hans translations from the command line: po_set.py 'msgid' '译文' ['msgid' '译文' ...]"""

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def main(pairs):
    po = polib.pofile(str(PO))
    by_id = {entry.msgid: entry for entry in po}
    for msgid, text in zip(pairs[::2], pairs[1::2], strict=True):
        entry = by_id[msgid]
        if entry.msgid_plural:
            entry.msgstr_plural = {0: text}
        else:
            entry.msgstr = text
    po.save()


if __name__ == "__main__":
    main(sys.argv[1:])
