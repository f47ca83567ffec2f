import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    validate_credit_code,
    validate_real_name,
)

VALID_CODES = [
    "91350100M000100Y43",
    "91110000600037341L",
    "91310115MA1K3Q8T26",
    "12310104425012345B",
]


@pytest.mark.parametrize("code", VALID_CODES)
def test_published_and_demo_credit_codes_are_valid(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    "code", [c.lower() for c in VALID_CODES] + ["９１３５０１００Ｍ０００１００Ｙ４３"]
)
def test_lower_case_and_full_width_codes_are_normalised(code):
    validate_credit_code(code)


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y44", "check"),  # last character wrong
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M0001O0Y43", "alphabet"),  # letter O is not in the alphabet
        ("91350100M00010IY43", "alphabet"),
        ("", "length"),
        ("91350100M000100Y43".replace("M", "N"), "check"),  # one changed character
    ],
)
def test_invalid_credit_codes_are_refused_with_the_reason(code, problem):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == problem


@given(
    st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17),
    st.integers(0, 16),
    st.sampled_from(CREDIT_CODE_ALPHABET),
)
def test_any_single_character_change_is_caught(body, position, replacement):
    code = body + credit_code_check_character(body)
    validate_credit_code(code)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code:
        with pytest.raises(ValidationError):
            validate_credit_code(changed)


@pytest.mark.parametrize(
    "name",
    [
        "张三",
        "王堃",
        "李喆",
        "陈昇",
        "赵玥",
        "𠮷田",
        "阿卜杜拉·艾力",
        "欧阳娜娜",
        "<b>李四</b>",
        "Zhang San",
        "a" * 40,
    ],
)
def test_real_names_are_accepted(name):
    validate_real_name(name)


@pytest.mark.parametrize(
    "name", ["张", "", "  ", "a" * 41, "张\u0000三", "张\u200b三", "1234", "·"]
)
def test_impossible_names_are_refused(name):
    with pytest.raises(ValidationError):
        validate_real_name(name)


def test_name_length_counts_characters_not_bytes():
    validate_real_name("𠮷" * 40)
    with pytest.raises(ValidationError):
        validate_real_name("𠮷" * 41)
