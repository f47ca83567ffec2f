"""Grading: table cases per question type, response validation, and properties."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.questions.data import Choice, Question, QuestionType
from courses.questions.gift_reader import parse_gift
from courses.questions.kinds.base import ESSAY_MAX_LENGTH, SHORT_ANSWER_MAX_LENGTH, ResponseError
from courses.questions.kinds.short_answer import normalize_answer
from courses.questions.registry import grade, validate_response

D = Decimal


def q(gift: str) -> Question:
    [question] = parse_gift(gift)
    return question


SINGLE = q("Pick.{=right ~wrong ~%50%half ~%-50%bad}")
MULTI = q("Pick all.{~%50%a ~%50%b ~%-100%c ~d}")
TRUE = q("True?{T}")
FALSE = q("False?{FALSE}")
SHORT = q("Best animal?{=Frog =%50%Cat =%0%*}")
WILD = q("Standard?{=ISO *001 =%25%*9001}")
STAR = q("Symbol?{=a\\*b}")
BEST = q("Word?{=%20%* =quality}")
CHINESE = q("Term?{=质量 管理 =QC}")
NUMERIC = q("Pi?{# =3.14:0.01 =%50%3.1:0.1 =%25%1..5 ~#No}")
EXACT = q("Year?{#1822}")
MATCH = q("Match.{=Forum -> discuss =Wiki -> edit =Quiz -> test = -> chat}")
ESSAY = q("Write.{}")
DESCRIPTION = q("Read this.")


CASES = [
    # single choice: the chosen fraction, never below 0
    (SINGLE, 0, "1"), (SINGLE, 1, "0"), (SINGLE, 2, "0.5"), (SINGLE, 3, "0"),
    # multiple response: sum of fractions, clipped to [0, 1]
    (MULTI, [], "0"), (MULTI, [0], "0.5"), (MULTI, [0, 1], "1"), (MULTI, (1, 0), "1"),
    (MULTI, [0, 1, 3], "1"), (MULTI, [0, 2], "0"), (MULTI, [0, 1, 2], "0"), (MULTI, [3], "0"),
    # true/false
    (TRUE, True, "1"), (TRUE, False, "0"), (FALSE, False, "1"), (FALSE, True, "0"),
    # short answer: normalised comparison, "*" wildcard, best fraction
    (SHORT, "Frog", "1"), (SHORT, "frog", "1"), (SHORT, "  FROG ", "1"), (SHORT, "Ｆｒｏｇ", "1"),
    (SHORT, "cat", "0.5"), (SHORT, "dog", "0"), (SHORT, "", "0"), (SHORT, "   ", "0"),
    (SHORT, "frogs", "0"),
    (WILD, "ISO 9001", "1"), (WILD, "iso  14001", "1"), (WILD, "ISO9001", "0.25"),
    (WILD, "GB/T 19001", "0.25"), (WILD, "GB/T 19002", "0"),
    (STAR, "a*b", "1"), (STAR, "axb", "0"),
    (BEST, "Quality", "1"), (BEST, "anything", "0.2"),
    (CHINESE, "质量 管理", "1"), (CHINESE, "质量\u3000管理", "1"), (CHINESE, " 质量   管理 ", "1"),
    (CHINESE, "质量管理", "0"), (CHINESE, "ｑｃ", "1"),
    # numerical: tolerance, ranges, best alternative, catch-all, non-numbers
    (NUMERIC, "3.14", "1"), (NUMERIC, "3.15", "1"), (NUMERIC, "3.13", "1"),
    (NUMERIC, "3.151", "0.5"), (NUMERIC, "3.0", "0.5"), (NUMERIC, "4", "0.25"),
    (NUMERIC, "1", "0.25"), (NUMERIC, "5", "0.25"), (NUMERIC, "5.01", "0"), (NUMERIC, "-3", "0"),
    (NUMERIC, D("3.14"), "1"), (NUMERIC, 4, "0.25"), (NUMERIC, 3.14, "1"), (NUMERIC, "３.１４", "1"),
    (NUMERIC, " 3.14 ", "1"), (NUMERIC, "314e-2", "1"), (NUMERIC, "pi", "0"), (NUMERIC, "", "0"),
    (NUMERIC, "NaN", "0"), (NUMERIC, "inf", "0"), (NUMERIC, float("nan"), "0"),
    (NUMERIC, D("NaN"), "0"), (NUMERIC, "3,14", "0"), (NUMERIC, "1e999999", "0"),
    (EXACT, "1822", "1"), (EXACT, "1822.0", "1"), (EXACT, "1823", "0"), (EXACT, "\u22121822", "0"),
    # matching: share of the pairs answered right
    (MATCH, {0: "discuss", 1: "edit", 2: "test"}, "1"),
    (MATCH, {0: "discuss"}, "0.3333"),  # credits are kept to four places
    (MATCH, {"0": "discuss", "1": "chat", 2: None}, "0.3333"),
    (MATCH, {0: "edit", 1: "discuss"}, "0"), (MATCH, {}, "0"),
    # essays and descriptions are not graded here
    (ESSAY, "My essay.", None), (ESSAY, "", None), (DESCRIPTION, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("question", "response", "credit"), CASES)
def test_grade_table(question, response, credit):
    before = question.to_dict()
    result = grade(question, response)
    if credit is None:
        assert result is None
    else:
        assert result == D(credit)
        assert isinstance(result, Decimal)
    assert question.to_dict() == before  # grading is pure


def test_negative_minus_sign_is_accepted():
    assert grade(q("Below zero?{#-5:1}"), "\u22125") == 1  # a typographic minus


def test_normalize_answer():
    assert normalize_answer("  ＡＢＣ\u3000 ２ \n x ") == "abc 2 x"
    assert normalize_answer("Straße") == normalize_answer("STRASSE")
    assert normalize_answer("ﬁne") == "fine"


INVALID = [
    (SINGLE, "0"), (SINGLE, True), (SINGLE, 1.0), (SINGLE, -1), (SINGLE, 4), (SINGLE, None),
    (MULTI, 0), (MULTI, [0, 0]), (MULTI, [True]), (MULTI, [9]), (MULTI, [-1]), (MULTI, "01"),
    (MULTI, {0}),
    (TRUE, 1), (TRUE, "true"), (TRUE, None),
    (SHORT, None), (SHORT, 5), (SHORT, ["Frog"]), (SHORT, "x" * (SHORT_ANSWER_MAX_LENGTH + 1)),
    (NUMERIC, True), (NUMERIC, None), (NUMERIC, [1]),
    (NUMERIC, "1" * (SHORT_ANSWER_MAX_LENGTH + 1)),
    (MATCH, [("0", "discuss")]), (MATCH, {3: "chat"}), (MATCH, {9: "edit"}), (MATCH, {-1: "edit"}),
    (MATCH, {"x": "edit"}), (MATCH, {True: "edit"}), (MATCH, {0: "nope"}), (MATCH, {0: 5}),
    (MATCH, {0: "discuss", "0": "discuss"}), (MATCH, {"١": "edit"}),
    (ESSAY, None), (ESSAY, 5), (ESSAY, "x" * (ESSAY_MAX_LENGTH + 1)),
    (DESCRIPTION, ""), (DESCRIPTION, 0),
]  # fmt: skip


@pytest.mark.parametrize(("question", "response"), INVALID)
def test_malformed_responses_raise_response_error(question, response):
    with pytest.raises(ResponseError):
        validate_response(question, response)
    with pytest.raises(ResponseError):
        grade(question, response)


def test_limits_are_inclusive():
    validate_response(SHORT, "x" * SHORT_ANSWER_MAX_LENGTH)
    validate_response(ESSAY, "x" * ESSAY_MAX_LENGTH)
    assert grade(SHORT, "x" * SHORT_ANSWER_MAX_LENGTH) == 0


def test_hand_built_questions_with_odd_numbers_do_not_crash():
    weird = Question(
        "n",
        QuestionType.NUMERICAL,
        "n",
        choices=[
            Choice(fraction=1, value=D("NaN"), tolerance=D(0)),
            Choice(fraction=D("0.5"), value=D("1E+999999"), tolerance=D("1E+999999")),
            Choice(fraction=D("0.2"), value=D(1)),  # no tolerance: exact
        ],
    )
    assert grade(weird, "1") == D("0.5")
    assert grade(weird, "2") == D("0.5")


# --- Properties --------------------------------------------------------------------------------

FRACTIONS = st.decimals(min_value=-1, max_value=1, places=4)
TEXTS = st.text("abcXYZ 01质量*", min_size=1, max_size=8).filter(lambda s: s.strip())


@st.composite
def question_and_response(draw):
    qtype = draw(
        st.sampled_from(
            [
                QuestionType.SINGLE_CHOICE,
                QuestionType.MULTIPLE_RESPONSE,
                QuestionType.TRUE_FALSE,
                QuestionType.SHORT_ANSWER,
                QuestionType.NUMERICAL,
                QuestionType.MATCHING,
            ]
        )
    )
    n = draw(st.integers(1, 6))
    if qtype == QuestionType.NUMERICAL:
        choices = []
        for _ in range(n):
            kind = draw(st.sampled_from(["exact", "range", "any"]))
            number = st.decimals(min_value=-1000, max_value=1000, places=3)
            if kind == "exact":
                choices.append(
                    Choice(fraction=draw(FRACTIONS), value=draw(number),
                           tolerance=abs(draw(number)))
                )  # fmt: skip
            elif kind == "range":
                low, high = sorted([draw(number), draw(number)])
                choices.append(Choice(fraction=draw(FRACTIONS), low=low, high=high))
            else:
                choices.append(Choice("*", draw(FRACTIONS)))
        response = draw(st.one_of(number, st.integers(-2000, 2000), st.text(max_size=8)))
    elif qtype == QuestionType.MATCHING:
        choices = [Choice(draw(TEXTS), match=draw(TEXTS)) for _ in range(n)]
        offered = [c.match for c in choices]
        response = draw(st.dictionaries(st.integers(0, n - 1), st.sampled_from(offered)))
    else:
        choices = [Choice(draw(TEXTS), draw(FRACTIONS)) for _ in range(n)]
        if qtype == QuestionType.SINGLE_CHOICE:
            response = draw(st.integers(0, n - 1))
        elif qtype == QuestionType.MULTIPLE_RESPONSE:
            response = draw(st.lists(st.integers(0, n - 1), unique=True))
        elif qtype == QuestionType.SHORT_ANSWER:
            response = draw(st.one_of(TEXTS, st.text(max_size=10)))
        else:
            response = draw(st.booleans())
    options = {"correct": draw(st.booleans())} if qtype == QuestionType.TRUE_FALSE else {}
    return Question("q", qtype, "q", choices=choices, options=options), response


@settings(max_examples=300, deadline=None)
@given(question_and_response())
def test_credit_is_always_between_0_and_1(case):
    question, response = case
    credit = grade(question, response)
    assert isinstance(credit, Decimal)
    assert 0 <= credit <= 1


@st.composite
def multiple_response_question(draw):
    """Positive weights adding up to exactly 100%, plus any negative (or zero) weights."""
    cuts = sorted(draw(st.lists(st.integers(1, 99), max_size=4, unique=True)))
    positives = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    negatives = draw(st.lists(st.integers(-100, 0), max_size=4))
    weights = draw(st.permutations(positives + negatives))
    choices = [Choice(f"c{i}", D(w) / 100) for i, w in enumerate(weights)]
    return Question("m", QuestionType.MULTIPLE_RESPONSE, "m", choices=choices)


@settings(max_examples=200, deadline=None)
@given(multiple_response_question())
def test_all_positive_choices_selected_gives_full_credit(question):
    positive = [i for i, c in enumerate(question.choices) if c.fraction > 0]
    assert grade(question, positive) == 1
    everything = list(range(len(question.choices)))
    assert 0 <= grade(question, everything) <= 1


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


ANSWER_TEXT = st.text("abcdefXYZ0123 质量管理", min_size=1, max_size=12).filter(str.strip)


@settings(max_examples=300, deadline=None)
@given(
    ANSWER_TEXT,
    st.sampled_from([D(1), D("0.5"), D("0.25")]),
    st.sampled_from([str.upper, str.lower, str.swapcase, fullwidth, lambda s: s]),
    st.sampled_from(["", " ", "  \t", "\u3000"]),
)
def test_nfkc_case_and_space_variants_get_the_same_credit(answer, fraction, transform, pad):
    question = Question(
        "s",
        QuestionType.SHORT_ANSWER,
        "s",
        choices=[Choice(answer, fraction), Choice("zz*zz", D("0.1"))],
    )
    variant = pad + transform(answer).replace(" ", " " + pad) + pad
    assert grade(question, variant) == grade(question, answer)
    assert grade(question, answer) >= fraction


def test_thirds_written_as_percentages_add_up_to_full_credit():
    [question] = parse_gift("::t:: 选出三项 {~%33.33333%甲 ~%33.33333%乙 ~%33.33333%丙 ~%-100%丁}")
    assert grade(question, [0, 1, 2]) == 1
    assert grade(question, [0, 1]) == Decimal("0.6667")
