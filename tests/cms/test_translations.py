import gettext
from pathlib import Path

import polib
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_every_message_has_a_chinese_translation():
    po = polib.pofile(str(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []


def test_compiled_catalogs_match_their_sources():
    for language in ("zh_Hans", "en"):
        folder = LOCALE / language / "LC_MESSAGES"
        po = polib.pofile(str(folder / "django.po"))
        with open(folder / "django.mo", "rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        for entry in po.translated_entries():
            if entry.msgid_plural:
                assert (
                    compiled.ngettext(entry.msgid, entry.msgid_plural, 2)
                    in entry.msgstr_plural.values()
                )
            else:
                assert compiled.gettext(entry.msgid) == entry.msgstr, entry.msgid
