"""Aiken import, following Moodle's question/format/aiken/format.php and its tests."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.questions.aiken import AikenError, parse_aiken
from courses.questions.data import Question, QuestionType

TWO_QUESTIONS = """\
PDCA 循环的第一步是什么？
A) 计划
B) 执行
C) 检查
D) 处理
ANSWER: A

Which chart shows a process over time?
A. Pareto chart
B. Control chart
C. Histogram
ANSWER: B
"""


def test_parses_questions_with_both_label_styles():
    first, second = parse_aiken(TWO_QUESTIONS)
    assert first.qtype == second.qtype == QuestionType.SINGLE_CHOICE
    assert (first.text, first.name, first.line) == (
        "PDCA 循环的第一步是什么？",
        "PDCA 循环的第一步是什么？",
        1,
    )
    assert [c.text for c in first.choices] == ["计划", "执行", "检查", "处理"]
    assert [c.fraction for c in first.choices] == [1, 0, 0, 0]
    assert [c.text for c in second.choices] == ["Pareto chart", "Control chart", "Histogram"]
    assert [c.fraction for c in second.choices] == [0, 1, 0]
    assert second.line == 8
    assert first.text_format == second.text_format == "html"
    assert all(c.feedback == "" and c.text_format == "" for c in first.choices)


def test_moodle_good_questions_and_html_escaping():
    # Moodle's aikenformat_test: no space after the label, and HTML special characters.
    text = (
        "A second good question\nA)Incorrect (No space)\nB)Correct (No space)\nANSWER: B\n\n"
        "A third good question with HTML chars such as > < &\nA) Correct (< > &)\n"
        "B) Incorrect (< > &)\nANSWER: A"
    )
    second, third = parse_aiken(text)
    assert [c.text for c in second.choices] == ["Incorrect (No space)", "Correct (No space)"]
    assert second.choices[1].fraction == 1
    assert third.name == "A third good question with HTML chars such as > < &"
    assert third.text == "A third good question with HTML chars such as &gt; &lt; &amp;"
    assert [c.text for c in third.choices] == ["Correct (&lt; &gt; &amp;)",
                                               "Incorrect (&lt; &gt; &amp;)"]  # fmt: skip
    assert third.choices[0].fraction == 1


def test_blank_lines_are_optional_and_short_lines_skipped():
    # Moodle skips lines shorter than two bytes and ends a question at its ANSWER: line.
    text = "Q one?\nA) a\nB) b\nANSWER: B\nQ two?\n.\nA) c\nB) d\nANSWER: A"
    assert [q.text for q in parse_aiken(text)] == ["Q one?", "Q two?"]


def test_line_ends_bom_and_bytes():
    text = "\ufeffQ?\r\nA) x\r\nB) y\r\nANSWER: A\r\n"
    assert parse_aiken(text)[0].choices[0].text == "x"
    assert parse_aiken(text.encode("utf-8"))[0].choices[1].text == "y"
    assert len(parse_aiken("Q?\rA) x\rB) y\rANSWER: B")) == 1


def test_answer_letter_may_carry_label_punctuation():
    q = parse_aiken("Q?\nA) x\nB) y\nANSWER:B)")[0]
    assert q.choices[1].fraction == Decimal(1)


def test_long_question_gets_shortened_default_name():
    q = parse_aiken("word " * 30 + "\nA) x\nB) y\nANSWER: A")[0]
    assert q.name.endswith("...") and len(q.name) <= 80


def test_empty_input():
    assert parse_aiken("") == []
    assert parse_aiken("\n\n  \n") == []


ERRORS = [
    # Moodle's aiken_errors.txt cases, each now an error naming its line.
    ("A question with too few answers\nA) Only answer\nANSWER: A", "at least 2 options", 3),
    ("A) Question not started\n", "before any question", 1),
    ("ANSWER: A", "before any question", 1),
    ("Started\nA) a\nB) b\n\nNext question\nA) c\nB) d\nANSWER: A", "has no ANSWER", 5),
    ("Unfinished at the end\nA) a\nB) b", "has no ANSWER", 1),
    # Our stricter checks.
    ("Q?\nA) a\nB) b\nANSWER: E", "not one of the options", 4),
    ("Q?\nA) a\nB) b\nANSWER: b", "must be followed by one option letter", 4),
    ("Q?\nA) a\nB) b\nANSWER: A, B", "one option letter", 4),
    ("Q?\nA) a\nB) b\nANSWER:", "one option letter", 4),
    ("Q?\nA) a\nC) b\nANSWER: A", "should be option B", 3),
    ("Q?\nA) a\nB)\t\nANSWER: A", "option B is empty", 3),
    ("Two-line\nquestion text\nA) a\nB) b\nANSWER: A", "on one line", 2),
    (b"\xff\xfe", "UTF-8", None),
]


@pytest.mark.parametrize(("text", "message", "line"), ERRORS)
def test_errors_name_the_line(text, message, line):
    with pytest.raises(AikenError) as caught:
        parse_aiken(text)
    assert message in str(caught.value)
    assert caught.value.line == line
    if line is not None:
        assert f"line {line}" in str(caught.value)


AIKEN_TOKENS = ["Q?", "质量", "A) ", "B. ", "C)", "Z.", "ANSWER: ", "ANSWER:", "A", "B", "z",
                "\n", "\n\n", "\r\n", " ", "\t", "<b>", "&", "x", "\ufeff"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.lists(st.sampled_from(AIKEN_TOKENS), max_size=40).map("".join),
        st.text(max_size=200),
    )
)
def test_any_text_gives_questions_or_aiken_error(text):
    try:
        result = parse_aiken(text)
    except AikenError:
        return
    assert all(isinstance(q, Question) for q in result)
    for question in result:
        assert len(question.choices) >= 2
        assert sum(c.fraction for c in question.choices) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            # Moodle skips lines shorter than two bytes, so question texts are longer.
            st.text("abc 质量?<&", min_size=2, max_size=12).filter(
                lambda s: len(s.strip().encode()) >= 2
            ),
            st.lists(st.text("xyz 12>", min_size=1, max_size=8).filter(str.strip),
                     min_size=2, max_size=6),
            st.data(),
        ),
        max_size=4,
    )
)  # fmt: skip
def test_generated_files_parse_back(items):
    lines, expected = [], []
    for text, options, data in items:
        right = data.draw(st.integers(0, len(options) - 1))
        lines.append(text)
        lines += [f"{chr(65 + i)}) {option}" for i, option in enumerate(options)]
        lines += [f"ANSWER: {chr(65 + right)}", ""]
        expected.append((text.strip(), [o.strip() for o in options], right))
    questions = parse_aiken("\n".join(lines))
    assert len(questions) == len(expected)
    for question, (text, options, right) in zip(questions, expected, strict=True):
        assert question.text == text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert [c.text for c in question.choices] == [o.replace(">", "&gt;") for o in options]
        assert [c.fraction for c in question.choices].index(1) == right
