"""Tidy the catalogs after ``makemessages``; the .po files are where translations live.

- English is the source language, but Django falls back to the default language's catalog
  (zh-hans) for any message the English catalog lacks, so every English entry is translated
  to itself.
- makemessages guesses translations for new messages from similar old ones and marks them
  fuzzy; those guesses are wrong more often than right, so they are cleared, not kept.
- Prints every Chinese entry still untranslated and exits 1 while there are any.

    .venv/bin/python scripts/po_fill_zh.py
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main():
    missing = []
    for po_path in sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po")):
        po = polib.pofile(str(po_path))
        chinese = "zh_Hans" in str(po_path)
        for entry in po:
            fuzzy = "fuzzy" in entry.flags
            if fuzzy:
                entry.flags.remove("fuzzy")
                entry.previous_msgid = entry.previous_msgid_plural = None
            if not chinese:
                if entry.msgid_plural:
                    entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                else:
                    entry.msgstr = entry.msgid
                continue
            if fuzzy:
                entry.msgstr = ""
                entry.msgstr_plural = {0: ""} if entry.msgid_plural else {}
            text = entry.msgstr_plural.get(0) if entry.msgid_plural else entry.msgstr
            if not text:
                missing.append(entry.msgid)
        po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
        if chinese:
            po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
        po.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
