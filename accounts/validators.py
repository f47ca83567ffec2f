"""Validators for what people type about themselves and their organisations."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z), the last a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

NAME_MIN, NAME_MAX = 2, 40


def credit_code_check_character(first17):
    """The 18th character of a unified social credit code for its first 17 characters."""
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(value):
    return unicodedata.normalize("NFKC", value or "").strip().upper()


def validate_credit_code(value):
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="length",
            params={"n": len(code)},
        )
    bad = [char for char in code if char not in CREDIT_CODE_ALPHABET]
    if bad:
        raise ValidationError(
            _("“%(char)s” cannot appear in a unified social credit code."),
            code="alphabet",
            params={"char": bad[0]},
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character does not match: please check the code for a typing mistake."),
            code="check",
        )


def normalise_name(value):
    """NFC, with runs of spaces collapsed: what is stored and printed."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def validate_real_name(value):
    """A real name as it should appear on a certificate.

    Any script is allowed (rare characters such as 堃 and 𠮷, the middle dot of minority
    names such as 阿卜杜拉·艾力); what a name cannot hold is control characters or no letter
    at all. Markup is kept as typed and escaped wherever it is shown.
    """
    name = normalise_name(value)
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ValidationError(
            _("Please enter your real name, %(min)d to %(max)d characters."),
            code="length",
            params={"min": NAME_MIN, "max": NAME_MAX},
        )
    if any(unicodedata.category(char) in {"Cc", "Cf", "Cs", "Co", "Cn"} for char in name):
        raise ValidationError(_("The name contains invisible control characters."), code="control")
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise ValidationError(_("A name needs at least one letter or character."), code="letters")
