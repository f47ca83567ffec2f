"""GIFT import and export, checked against Moodle's own importer, tests and reference files.

The reference files are Moodle's question/format/gift/examples.txt and
tests/fixtures/questions.gift.txt, kept as test data in tests/fixtures/gift/. The expectations
for the fixture come from Moodle's question/format/gift/tests/giftformat_test.php.
"""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.questions.data import BLANK, Choice, Question, QuestionType
from courses.questions.gift_reader import GiftError, parse_gift
from courses.questions.gift_writer import dump_gift, to_gift

SA = QuestionType.SHORT_ANSWER
SC = QuestionType.SINGLE_CHOICE
MR = QuestionType.MULTIPLE_RESPONSE
TF = QuestionType.TRUE_FALSE
NUM = QuestionType.NUMERICAL
MATCH = QuestionType.MATCHING
ESSAY = QuestionType.ESSAY
DESC = QuestionType.DESCRIPTION


REFERENCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "gift"


def read_reference(name: str) -> str:
    return (REFERENCE_DIR / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_questions() -> dict[int, Question]:
    """Moodle's fixture, by the line each question starts on."""
    questions = parse_gift(read_reference("moodle-fixture-questions.gift.txt"))
    return {q.line: q for q in questions}


def one(text: str) -> Question:
    [question] = parse_gift(text)
    return question


def plain(question: Question) -> dict:
    data = question.to_dict()
    del data["line"]
    return data


def answers(question: Question) -> list[tuple[str, str, str]]:
    """(text, fraction, feedback) of each choice, the way Moodle's tests list them."""
    return [(c.text, str(c.fraction), c.feedback) for c in question.choices]


# --- Moodle's fixture, one test per question (giftformat_test.php expectations) -------------


def test_fixture_essay(fixture_questions):
    # test_import_essay
    q = fixture_questions[2]
    assert (q.name, q.qtype, q.text) == ("Q8", ESSAY, "How are you?")
    assert q.text_format == "moodle"
    assert q.general_feedback == "" and q.choices == []


def test_fixture_match(fixture_questions):
    # test_import_match: formats per subquestion, and a distractor with no left side.
    q = fixture_questions[5]
    assert (q.name, q.qtype) == ("Moodle activities", MATCH)
    assert q.text == "Match the <b>activity</b> to the description."
    assert q.text_format == "html"
    assert [(c.text, q.format_of(c.text_format), c.match) for c in q.choices] == [
        ("An activity supporting asynchronous discussions.", "html", "Forum"),
        (
            "A teacher asks a question and specifies a choice of multiple responses.",
            "moodle",
            "Choice",
        ),
        ("A bank of record entries which participants can add to.", "plain", "Database"),
        ("A collection of web pages that anyone can add to or edit.", "markdown", "Wiki"),
        ("", "html", "Chat"),
    ]
    assert "general_feedback_format" not in q.options


def test_fixture_multichoice(fixture_questions):
    # test_import_multichoice: single = 1, fractions (1, 0, 0), formats of answers/feedback.
    q = fixture_questions[14]
    assert (q.name, q.qtype) == ("Q2", SC)
    assert q.text == "What's between orange and green in the spectrum?"
    assert answers(q) == [
        ("yellow", "1", "right; good!"),
        ("red", "0", "wrong, it's yellow"),
        ("blue", "0", "wrong, it's yellow"),
    ]
    assert [q.format_of(c.text_format) for c in q.choices] == ["moodle", "moodle", "plain"]
    assert [q.format_of(c.feedback_format) for c in q.choices] == ["moodle", "html", "moodle"]


def test_fixture_multichoice_multi(fixture_questions):
    # test_import_multichoice_multi: single = 0, fractions (0.5, -1, 0.5, -1).
    q = fixture_questions[22]
    assert (q.name, q.qtype) == ("colours", MR)
    assert q.text == "What's between orange and green in the spectrum?"
    assert answers(q) == [
        ("yellow", "0.5", "right; good!"),
        ("red", "-1", "wrong"),
        ("off-beige", "0.5", "right; good!"),
        ("blue", "-1", "wrong"),
    ]
    assert [q.format_of(c.text_format) for c in q.choices] == ["moodle"] * 3 + ["plain"]
    assert [q.format_of(c.feedback_format) for c in q.choices] == ["moodle", "html"] + [
        "moodle"
    ] * 2


def test_fixture_numerical(fixture_questions):
    # test_import_numerical: answers ('3', '*'), fractions (1, 0), tolerance (2, '').
    q = fixture_questions[31]
    assert (q.name, q.qtype) == ("Q5", NUM)
    # The fixture line ends in `}";` (a stray PHP quote that Moodle's own test string lacks),
    # so Moodle's importer sees the answer block mid-text and leaves a blank there.
    assert q.text == f'What is a number from 1 to 5? {BLANK}";'
    exact, other = q.choices
    assert (exact.value, exact.tolerance, exact.fraction, exact.feedback) == (
        Decimal(3),
        Decimal(2),
        Decimal(1),
        "",
    )
    assert other.is_catch_all
    assert (other.fraction, other.feedback) == (Decimal(0), "Completely wrong")


def test_fixture_shortanswer(fixture_questions):
    # test_import_shortanswer: answers (Frog, Cat, *), fractions (1, 0.5, 0).
    q = fixture_questions[34]
    assert (q.name, q.qtype, q.text) == ("Shortanswer", SA, "Which is the best animal?")
    assert answers(q) == [
        ("Frog", "1", "Good!"),
        ("Cat", "0.5", "What is it with Moodlers and cats?"),
        ("*", "0", "Completely wrong"),
    ]


def test_fixture_truefalse_with_general_feedback(fixture_questions):
    # test_import_truefalse: correctanswer 0, feedbacktrue "42 is the Ultimate Answer." (the
    # wrong-answer feedback) and feedbackfalse "You gave the right answer."
    q = fixture_questions[41]
    assert (q.name, q.qtype) == ("Q1", TF)
    assert q.text == f'42 is the Absolute Answer to everything.{BLANK}";'  # `}";` as above
    assert q.options["correct"] is False
    assert q.options["feedback_wrong"] == "42 is the Ultimate Answer."
    assert q.options["feedback_right"] == "You gave the right answer."
    assert q.general_feedback == (
        "This is, of course, a Hitchiker's Guide to the Galaxy reference."
    )


def test_fixture_truefalse_t(fixture_questions):
    # test_import_truefalse_true_answer1: {T} is true, no feedback.
    q = fixture_questions[46]
    assert (q.name, q.qtype, q.text) == ("2-08 TSL", TF, "TSL is blablabla.")
    assert q.options == {
        "text_format": "moodle",
        "correct": True,
        "feedback_wrong": "",
        "feedback_right": "",
    }


def test_fixture_truefalse_true(fixture_questions):
    # test_import_truefalse_true_answer2: {TRUE} is true, no feedback.
    q = fixture_questions[49]
    assert (q.name, q.qtype, q.text) == ("2-08 TSL", TF, "TSL is blablabla.")
    assert q.options["correct"] is True
    assert q.options["feedback_wrong"] == q.options["feedback_right"] == ""


# --- Whole reference files -------------------------------------------------------------------


def test_fixture_file_parses_completely():
    # Moodle's behat test: "Importing 9 questions from file".
    questions = parse_gift(read_reference("moodle-fixture-questions.gift.txt"))
    assert [q.qtype for q in questions] == [ESSAY, MATCH, SC, MR, NUM, SA, TF, TF, TF]


EXAMPLE_TYPES = [
    # Examples from the class description.
    SC, SC, TF, SA, NUM,
    # Examples from the documentation: multiple choice, short answer, true-false.
    SC, SC, SC, SC, SA, SA, TF, TF,
    # Matching, numerical (exact, tolerance, range, weighted alternatives), line comments.
    MATCH, MATCH, NUM, NUM, NUM, NUM, NUM,
    # Question names, feedback, text format, weights, multiple answers, special characters.
    SA, SC, SC, SA, SA, TF, SC, SC, SA, MR, MR, SC, SC,
    # Examples from gift/format.php.
    SC, SC, TF, SA, NUM, MATCH,
    # More complicated examples.
    SC, SC, SA, NUM,
]  # fmt: skip


def test_examples_file_parses_completely():
    questions = parse_gift(read_reference("moodle-examples.gift.txt"))
    assert [q.qtype for q in questions] == EXAMPLE_TYPES
    assert len(questions) == 43


def test_examples_details():
    by_line = {q.line: q for q in parse_gift(read_reference("moodle-examples.gift.txt"))}
    # Missing word: the block inside the sentence leaves the blank, Moodle's "_____".
    assert by_line[10].text == f"Grant is {BLANK} in Grant's tomb."
    assert by_line[45].text == f"Two plus two equals {BLANK}."
    assert answers(by_line[45]) == [("four", "1", ""), ("4", "1", "")]
    # Numerical forms.
    assert [(c.value, c.tolerance) for c in by_line[70].choices] == [(Decimal(1822), 0)]
    assert [(c.low, c.high) for c in by_line[74].choices] == [(Decimal("3.141"), Decimal("3.142"))]
    assert [(c.value, c.tolerance, c.fraction) for c in by_line[76].choices] == [
        (Decimal(1822), Decimal(0), Decimal(1)),
        (Decimal(1822), Decimal(2), Decimal("0.5")),
    ]
    # A comment line inside the question's block is ignored.
    assert by_line[85].text == "What's 2 plus 2?" and by_line[85].choices[0].value == 4
    # Names, and a text spread over two lines.
    assert by_line[90].name == "Kanji Origins"
    assert by_line[90].text == "Japanese characters originally\ncame from what country?"
    assert by_line[108].text_format == "markdown"
    assert by_line[108].text == "Who's buried in **Grant's tomb**?"
    # Weights in single choice, and multiple response with and without negative weights.
    assert answers(by_line[117]) == [
        ("Jerusalem", "0", "This was an important city, but the wrong answer."),
        ("Bethlehem", "0.25", "He was born here, but not raised here."),
        ("Galilee", "0.5", "You need to be more specific."),
        ("Nazareth", "1", "Yes! That's right!"),
    ]
    assert [str(c.fraction) for c in by_line[130].choices] == ["0", "0.5", "0.5", "0"]
    assert [str(c.fraction) for c in by_line[136].choices] == ["-0.5", "0.5", "0.5", "-0.5"]
    # Escaped control characters.
    assert [c.text for c in by_line[143].choices] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = by_line[148]
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert control.choices[5].fraction == 1
    assert control.choices[5].feedback.startswith("Correct! \\ (backslash) is not")
    assert control.choices[5].feedback.endswith("(as shown in this example).")
    # Feedback continued on the next line.
    assert by_line[202].choices[1].feedback == (
        "He was born in 1822.\nYou get 50% credit for being close."
    )


@pytest.mark.parametrize("name", ["moodle-fixture-questions.gift.txt", "moodle-examples.gift.txt"])
def test_reference_files_round_trip(name):
    questions = parse_gift(read_reference(name))
    again = parse_gift(dump_gift(questions))
    assert [plain(q) for q in again] == [plain(q) for q in questions]


# --- Other cases from Moodle's giftformat_test.php -------------------------------------------


def test_multichoice_multi_tricky():
    q = one(
        "::colours:: What's between orange and green in the spectrum?\n{\n"
        "    ~%100%yellow # right; good!\n    ~%-50%red # wrong\n    ~%-50%blue # wrong\n}"
    )
    assert q.qtype == MR
    assert answers(q) == [("yellow", "1", "right; good!"), ("red", "-0.5", "wrong"),
                          ("blue", "-0.5", "wrong")]  # fmt: skip


def test_shortanswer_with_general_feedback_format():
    q = one(
        "::Shortanswer::Which is the best animal?{\n    =Frog#Good!\n"
        "    =%50%Cat#What is it with Moodlers and cats?\n    =%0%*#Completely wrong\n"
        "    ####[html]Here is some general feedback!\n}"
    )
    assert q.general_feedback == "Here is some general feedback!"
    assert q.options["general_feedback_format"] == "html"
    assert [c.text for c in q.choices] == ["Frog", "Cat", "*"]


def test_import_backslash():
    q = one("// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}")
    assert (q.name, q.qtype, q.text) == ("double backslash", ESSAY, "A \\ B \\\\ C")


def test_import_pre_content():
    q = one(
        "::Q001::[html]<p>What would running the test method print?</p>\n<pre>\n"
        "    public void test() \\{\n        method1();\n    \\}\n</pre>\n{}"
    )
    assert q.qtype == ESSAY and q.text_format == "html"
    # Moodle's readquestions() trims every line of a file, so indentation does not survive.
    assert q.text == (
        "<p>What would running the test method print?</p>\n<pre>\n"
        "public void test() {\nmethod1();\n}\n</pre>"
    )


def test_import_question_with_tags():
    q = one(
        "// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n::Question name:: How are you? {}"
    )
    assert (q.name, q.text, q.qtype) == ("Question name", "How are you?", ESSAY)
    assert q.options["tags"] == ["tag", "other-tag"]
    assert q.options["idnumber"] == "myid"


@pytest.mark.parametrize(
    ("comment", "idnumber", "tags"),
    [
        ("// A basic comment.", None, None),
        ("// A comment with [id:frog] <-- an idnumber.", "frog", None),
        ("// Look tags: [tag:frog] [tag:toad].", None, ["frog", "toad"]),
        ("// [tag:add] [tag:basic] [id:four]", "four", ["add", "basic"]),
        ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", "four",
         ["basic", "add"]),
        ("// Ceci n'est pas une [tag:\n// frog].", None, None),
        ("// [id:i\\]d].", "i]d", None),
        ("// [tag:t\\]ag].", None, ["t]ag"]),
    ],
)  # fmt: skip
def test_extract_idnumber_and_tags_from_comment(comment, idnumber, tags):
    q = one(comment + "\nQuestion?{}")
    assert q.options.get("idnumber") == idnumber
    assert q.options.get("tags") == tags


# Moodle's expected export text (giftformat_test.php), without its "// question:" comment.
EXPORTS = [
    (Question("Q8", ESSAY, "How are you?"), "::Q8::How are you?{}\n"),
    (Question("backslash", ESSAY, "A \\ B \\\\ C"), "::backslash::A \\\\ B \\\\\\\\ C{}\n"),
    (
        Question(
            "Q1",
            TF,
            "42 is the Absolute Answer to everything.",
            options={
                "correct": True,
                "feedback_wrong": "42 is the Ultimate Answer.",
                "feedback_wrong_format": "html",
                "feedback_right": "You gave the right answer.",
            },
        ),
        "::Q1::42 is the Absolute Answer to everything."
        "{TRUE#[html]42 is the Ultimate Answer.#You gave the right answer.}\n",
    ),
    (
        Question(
            "Q8",
            SC,
            "What's between orange and green in the spectrum?",
            choices=[
                Choice("yellow", 1, "right; good!"),
                Choice("red", 0, "wrong, it's yellow", feedback_format="html"),
                Choice("blue", 0, "wrong, it's yellow", text_format="plain"),
            ],
        ),
        "::Q8::What's between orange and green in the spectrum?{\n\t=yellow#right; good!\n"
        "\t~red#[html]wrong, it's yellow\n\t~[plain]blue#wrong, it's yellow\n}\n",
    ),
    (
        Question(
            "Q8",
            MR,
            "What's between orange and green in the spectrum?",
            choices=[
                Choice("yellow", 1, "right; good!"),
                Choice("red", Decimal("-0.5"), "wrong, it's yellow"),
                Choice("blue", Decimal("-0.5"), "wrong, it's yellow"),
            ],
        ),
        "::Q8::What's between orange and green in the spectrum?{\n\t~%100%yellow#right; good!\n"
        "\t~%-50%red#wrong, it's yellow\n\t~%-50%blue#wrong, it's yellow\n}\n",
    ),
    (
        Question(
            "Q5",
            NUM,
            "What is a number from 1 to 5?",
            choices=[
                Choice(fraction=1, value=Decimal(3), tolerance=Decimal(2)),
                Choice("*", 0, "Completely wrong"),
            ],
        ),
        "::Q5::What is a number from 1 to 5?{#\n\t=%100%3:2#\n\t~#Completely wrong\n}\n",
    ),
    (
        Question(
            "Shortanswer",
            SA,
            "Which is the best animal?",
            general_feedback="Here is some general feedback!",
            options={"general_feedback_format": "html"},
            choices=[
                Choice("Frog", 1, "Good!"),
                Choice("Cat", Decimal("0.5"), "What is it with Moodlers and cats?"),
                Choice("*", 0, "Completely wrong"),
            ],
        ),
        "::Shortanswer::Which is the best animal?{\n\t=%100%Frog#Good!\n"
        "\t=%50%Cat#What is it with Moodlers and cats?\n\t=%0%*#Completely wrong\n"
        "\t####[html]Here is some general feedback!\n}\n",
    ),
    (
        Question(
            "Moodle activities",
            MATCH,
            "Match the <b>activity</b> to the description.",
            options={"text_format": "html"},
            choices=[
                Choice('<div class="frog">An activity supporting asynchronous discussions.</div>',
                       match="Forum"),
                Choice("A teacher asks a question and specifies a choice of multiple responses.",
                       text_format="moodle", match="Choice"),
                Choice("A bank of record entries which participants can add to.",
                       text_format="plain", match="Database"),
                Choice("A collection of web pages that anyone can add to or edit.",
                       text_format="markdown", match="Wiki"),
                Choice("", match="Chat"),
            ],
        ),
        "::Moodle activities::[html]Match the <b>activity</b> to the description.{\n"
        '\t=<div class\\="frog">An activity supporting asynchronous discussions.</div> -> Forum\n'
        "\t=[moodle]A teacher asks a question and specifies a choice of multiple responses."
        " -> Choice\n"
        "\t=[plain]A bank of record entries which participants can add to. -> Database\n"
        "\t=[markdown]A collection of web pages that anyone can add to or edit. -> Wiki\n"
        "\t= -> Chat\n}\n",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("question", "expected"), EXPORTS, ids=lambda v: getattr(v, "name", ""))
def test_export_matches_moodle(question, expected):
    assert to_gift(question) == expected


# --- Moodle's rules, case by case ------------------------------------------------------------


def test_question_types_by_answer_block():
    text = "\n\n".join(
        [
            "Just some text.",
            "Write about it.{}",
            "Pick one.{=a ~b}",
            "Pick some.{~%50%a ~%50%b ~c}",
            "Name it.{=a =b}",
            "Name it.{a}",
            "Match.{=a -> 1 =b -> 2}",
            "True?{T}",
            "True?{FALSE#no#yes}",
            "How many?{#2}",
        ]
    )
    assert [q.qtype for q in parse_gift(text)] == [DESC, ESSAY, SC, MR, SA, SA, MATCH, TF, TF, NUM]


def test_single_choice_needs_an_equals_anywhere():
    # Moodle: "=" anywhere in the block makes it single choice, even with weights.
    q = one("Q?{~%50%a ~%50%b =c}")
    assert q.qtype == SC
    assert [str(c.fraction) for c in q.choices] == ["0.5", "0.5", "1"]


def test_missing_word_short_answer_and_blank_placement():
    q = one("The {=capital =main city} of France is Paris.")
    assert (q.qtype, q.text) == (SA, f"The {BLANK} of France is Paris.")
    assert q.has_blank
    # A block at the very end leaves no blank, even after punctuation inside the text.
    assert one("Paris is the capital of? {=France}").text == "Paris is the capital of?"


def test_answers_spread_over_lines_and_comments():
    q = one(
        "// leading comment\n::Spread::Which\nis right?\n{\n  ~no # not\n"
        "  // a comment among answers\n  =yes\n    # feedback on\n a new line\n}"
    )
    assert q.name == "Spread" and q.text == "Which\nis right?"
    assert answers(q) == [("no", "0", "not"), ("yes", "1", "feedback on\na new line")]
    assert q.line == 2


def test_escapes_in_names_texts_and_answers():
    q = one("::a\\:b \\{x\\}::Line one\\nline two \\~ \\= \\# \\\\ \\\\n{=x\\=y\\#z#fb\\~}")
    assert q.name == "a:b {x}"
    assert q.text == "Line one\nline two ~ = # \\ \\n"
    assert answers(q) == [("x=y#z", "1", "fb~")]


def test_text_formats():
    q = one("::F::[html]<p>Q</p>{=[plain]a#[markdown]*fb* ####[moodle]general}")
    assert q.text_format == "html"
    assert q.choices[0].text == "a"  # short answers keep no format (as in Moodle)
    assert q.format_of(q.choices[0].feedback_format) == "markdown"
    assert q.options["general_feedback_format"] == "moodle"
    # An unknown marker is text.
    assert one("[latex]x{}").text == "[latex]x"


def test_true_false_feedback_order():
    # Moodle: the first feedback is for a wrong answer, the second for a right one.
    q = one("Sky is green.{F#No, it is blue.#Right, it is not.####General.}")
    assert q.options["correct"] is False
    assert q.options["feedback_wrong"] == "No, it is blue."
    assert q.options["feedback_right"] == "Right, it is not."
    assert q.general_feedback == "General."
    only_right = one("Sky is blue.{TRUE##Yes.}")
    assert (only_right.options["feedback_wrong"], only_right.options["feedback_right"]) == (
        "",
        "Yes.",
    )


def test_numerical_forms():
    q = one("N?{#3.14:0.01}")
    assert [(c.value, c.tolerance, c.fraction) for c in q.choices] == [
        (Decimal("3.14"), Decimal("0.01"), 1)
    ]
    r = one("N?{#1..5}")
    assert [(r.choices[0].low, r.choices[0].high)] == [(Decimal(1), Decimal(5))]
    w = one("N?{# =%100%3.14:0.01 =%50%3.1:0.1 ~#Wrong}")
    assert [(c.value, c.tolerance, str(c.fraction)) for c in w.choices[:2]] == [
        (Decimal("3.14"), Decimal("0.01"), "1"),
        (Decimal("3.1"), Decimal("0.1"), "0.5"),
    ]
    assert w.choices[2].is_catch_all and w.choices[2].feedback == "Wrong"
    negative = one("N?{#-5..-1}")
    assert (negative.choices[0].low, negative.choices[0].high) == (Decimal(-5), Decimal(-1))
    assert one("N?{#1e3:1E-2}").choices[0].value == 1000


def test_matching_with_distractor_and_arrow_in_answer():
    q = one("Match.{=a -> 1 =b -> 2->3 = -> 4}")
    assert [(c.text, c.match) for c in q.choices] == [("a", "1"), ("b", "2->3"), ("", "4")]


def test_category_recorded_and_skipped():
    questions = parse_gift(
        "$CATEGORY: $course$/top/Quality\n\nQ1{}\n\n$CATEGORY: Other\\: one\n\nQ2{}\n\n"
        "$CATEGORY:\n\nQ3{}"
    )
    assert [q.options.get("category") for q in questions] == [
        "$course$/top/Quality",
        "Other: one",
        None,
    ]
    again = parse_gift(dump_gift(questions))
    assert [plain(q) for q in again] == [plain(q) for q in questions]


def test_default_names():
    assert one("What is 2+2?{#4}").name == "What is 2+2?"
    assert one("<p>Tagged <b>text</b></p>{}").name == "Tagged text"
    long = one("word " * 40 + "{}").name
    assert long.endswith("...") and len(long) <= 80
    assert one("::::Empty name{}").name == "Empty name"
    # No closing "::": Moodle takes it all as text.
    unclosed = one("::Half a name {=x}")
    assert unclosed.text == "Half a name" and unclosed.name == "Half a name"


def test_windows_and_old_mac_line_ends_and_bom():
    crlf = parse_gift("\ufeffQ1{\r\n=a\r\n}\r\n\r\nQ2{T}")
    assert [q.qtype for q in crlf] == [SA, TF]
    assert [q.line for q in crlf] == [1, 5]
    assert [q.qtype for q in parse_gift("Q1{=a}\r\rQ2{T}")] == [SA, TF]
    assert parse_gift(b"Q{T}")[0].qtype == TF


def test_comment_only_and_empty_input():
    assert parse_gift("") == []
    assert parse_gift("// nothing here\n\n   \n// or here") == []


def test_zero_line_is_not_a_separator():
    # PHP's empty("0") would split here; we keep the line.
    q = one("How many?{#\n0\n}")
    assert q.choices[0].value == 0


# --- Errors ------------------------------------------------------------------------------------


ERRORS = [
    ("Q{=a", "never closed", 1),
    ("Q=a}", "without an opening", 1),
    ("Q} and {", "before", 1),
    ("Q{=a {=b}", "inside an answer block", 1),
    ("Q1{=a}\nQ2{=b}", "more than one answer block", 1),
    ("{=a}", "question text is empty", 1),
    ("::name::", "question text is empty", 1),
    ("Q{#abc}", "not a number", 1),
    ("Q{#1:x}", "not a number", 1),
    ("Q{#1..y}", "not a number", 1),
    ("Q{#5..1}", "ends below", 1),
    ("Q{#1:-1}", "negative", 1),
    ("Q{#}", "at least 1 answer", 1),
    ("Q{#~#only wrong}", "at least 1 answer", 1),
    ("Q{#=%0%*}", "numeric answer", 1),
    ("Q{~%abc%a =b}", "weight %abc% is not a number", 1),
    ("Q{~%--50%a =b}", "not a number", 1),
    ("Q{=%50%a =%x%b}", "not a number", 1),
    ("Q{~%150%a =b}", "outside -100%..100%", 1),
    ("Q{=%50%a ~b}", "worth 100%", 1),
    ("Q{~a}", "at least 2 answers", 1),
    ("Q{~a ~ =b}", "empty", 1),
    ("Q{= =a}", "empty", 1),
    ("Q{=a -> 1}", "at least 2 pairs", 1),
    ("Q{=a -> 1 = -> 2}", "at least 2 pairs", 1),
    ("Q{=a -> 1 =b}", "has no '->'", 1),
    ("Q{=a -> 1 =b ->}", "nothing after", 1),
    ("First{T}\n\n// comment\n\nthird{=a}\n\n\nfourth{#x}", "not a number", 8),
    ("// note\n\n// about\nQ{#x}", "not a number", 4),
    ("$CATEGORY: top\nQ{}", "followed by a blank line", 1),
    (b"\xff", "UTF-8", None),
]


@pytest.mark.parametrize(("text", "message", "line"), ERRORS)
def test_errors_name_the_line(text, message, line):
    with pytest.raises(GiftError) as caught:
        parse_gift(text)
    assert message in str(caught.value)
    assert caught.value.line == line
    if line is not None:
        assert f"line {line}" in str(caught.value)


UNWRITABLE = [
    Question("Q", SA, "Q", choices=[Choice("a->b", 1)]),
    Question("Q", MATCH, "Q", choices=[Choice("a->b", match="1"), Choice("c", match="2")]),
    Question("Q", MATCH, "Q", choices=[Choice("a", match="1")]),
    Question("Q", SC, "Q", choices=[Choice("a", Decimal("0.5")), Choice("b")]),
    Question("Q", SC, "Q", choices=[Choice("a", 1)]),
    Question("Q", SC, "Q", choices=[Choice("a", 1), Choice("")]),
    Question("Q", MR, "Q", choices=[Choice("a", 2), Choice("b")]),
    Question("Q", DESC, "Q", general_feedback="gf"),
    Question("Q", ESSAY, " padded "),
    Question("Q", ESSAY, ""),
    Question("", ESSAY, "Q"),
    Question("Q", ESSAY, "Q", options={"text_format": "latex"}),
    Question("Q", NUM, "Q", choices=[Choice("*")]),
    Question("Q", NUM, "Q", choices=[Choice(fraction=1, low=Decimal(2), high=Decimal(1))]),
    Question("Q", NUM, "Q", choices=[Choice(fraction=1)]),
    Question("Q", TF, "Q"),
    Question("Q", ESSAY, "Q", options={"tags": ["a]\\"]}),
]


@pytest.mark.parametrize("question", UNWRITABLE)
def test_writer_refuses_what_gift_cannot_express(question):
    with pytest.raises(GiftError):
        to_gift(question)


def test_writer_keeps_awkward_texts():
    questions = [
        Question("[html]n", ESSAY, "[html]not a marker", options={"text_format": "moodle"}),
        Question("pct", SC, "Q", choices=[Choice("%d%s", 1), Choice("%50% off", 0),
                                          Choice("5%", Decimal("0.5"))]),
        Question("pct", MR, "Q", choices=[Choice("%x%", 1), Choice("%", 0)]),
        Question("sa", SA, "Q", choices=[Choice("%50%", 1), Choice("[plain]x", Decimal("0.5"))]),
        Question("blank", SA, f"Ends with {BLANK}", choices=[Choice("x", 1)]),
        Question("blank", SA, f"{BLANK} starts", choices=[Choice("x", 1)]),
        Question("tf", TF, "{T}", options={"correct": True, "feedback_wrong": "",
                                            "feedback_right": "[html]#1"}),
        Question("pua", ESSAY, "\ue000 and &&058; stay"),
        Question("中文", SC, "质量\u3000管理", choices=[Choice("　是", 1), Choice("否")]),
    ]  # fmt: skip
    for question in questions:
        question.options.setdefault("text_format", "moodle")  # the reader always records it
    text = dump_gift(questions)
    assert [plain(q) for q in parse_gift(text)] == [plain(q) for q in questions]


# --- Properties ------------------------------------------------------------------------------

GIFT_TOKENS = [
    "{", "}", "~", "=", "#", "####", "->", "%", "%50%", "%-100%", "%abc%", "::", ":", "\\",
    "\\{", "\\}", "\\n", "\\\\", "\n", "\n\n", "\r\n", " ", "\t", "//", "$CATEGORY:", "[html]",
    "[plain]", "[", "]", "T", "TRUE", "F", "FALSE", "..", "1", "3.14", "-2", "e5", "*",
    "_____", "a", "质", "\u3000", "\ue000", "0", "[id:x]", "[tag:y]", "\x00", "\x0b",
]  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.lists(st.sampled_from(GIFT_TOKENS), max_size=40).map("".join),
        st.text(max_size=200),
    )
)
def test_any_text_gives_questions_or_gift_error(text):
    try:
        result = parse_gift(text)
    except GiftError as error:
        assert error.line is None or error.line >= 1
    else:
        assert isinstance(result, list)
        assert all(isinstance(q, Question) for q in result)


PHP_WS = " \t\n\r\0\x0b"
SPECIAL = [*"{}~=#:%\\[]-> _*.$/\n\t", "\ue000", "\u3000", "质", "量", "\x00", "\x0b", "é"]
CHARS = st.one_of(
    st.sampled_from(SPECIAL),
    st.characters(codec="utf-8", exclude_characters="\r"),
)
FORMATS = ["moodle", "html", "plain", "markdown"]


@st.composite
def texts(draw, *, required=True, arrow=True, max_size=12):
    """Texts GIFT keeps as they are: trimmed, no carriage returns, maybe marker-like."""
    raw = draw(st.text(CHARS, max_size=max_size).map(lambda s: s.replace("\r", "")))
    prefix = draw(st.sampled_from(["", "", "", "[html]", BLANK, "%"]))
    text = (prefix + raw).strip(PHP_WS)
    if not arrow:
        text = text.replace("->", "-")
        while "->" in text:
            text = text.replace("->", "-")
    if required and not text:
        text = "x"
    return text


@st.composite
def other_format(draw, qfmt, text):
    """A text's own format: "" (the question's), or a different one when there is text."""
    if not text:
        return ""
    fmt = draw(st.sampled_from(["", *FORMATS]))
    return "" if fmt == qfmt else fmt


WEIGHTS = [Decimal(x) for x in ("0", "1", "0.5", "-0.5", "0.25", "0.333333", "-1", "0.1")]
NUMBERS = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False)


@st.composite
def choice_with_feedback(draw, qfmt, *, text=True, arrow=True, fraction=None):
    choice_text = draw(texts(arrow=arrow)) if text else ""
    feedback = draw(texts(required=False, arrow=arrow))
    return Choice(
        text=choice_text,
        fraction=fraction if fraction is not None else draw(st.sampled_from(WEIGHTS)),
        feedback=feedback,
        text_format=draw(other_format(qfmt, choice_text)) if text else "",
        feedback_format=draw(other_format(qfmt, feedback)),
    )


@st.composite
def questions(draw):
    qtype = draw(st.sampled_from(list(QuestionType)))
    qfmt = draw(st.sampled_from(FORMATS))
    general = "" if qtype == DESC else draw(texts(required=False))
    options = {"text_format": qfmt}
    gf_format = draw(other_format(qfmt, general))
    if gf_format:
        options["general_feedback_format"] = gf_format
    if draw(st.booleans()):
        options["idnumber"] = draw(st.text("abc-_1 .質", min_size=1, max_size=6)).strip() or "id"
    if draw(st.booleans()):
        options["tags"] = draw(st.lists(st.sampled_from(["a", "b-c", "质量", "x y"]), min_size=1))
    if draw(st.booleans()):
        options["category"] = draw(st.sampled_from(["$course$/top/A", "B: c\nd", "质量"]))
    choices: list[Choice] = []
    if qtype in (SC, MR):
        choices = draw(st.lists(choice_with_feedback(qfmt), min_size=2, max_size=5))
        if qtype == SC and not any(c.fraction == 1 for c in choices):
            choices[draw(st.integers(0, len(choices) - 1))].fraction = Decimal(1)
    elif qtype == SA:
        choices = draw(st.lists(choice_with_feedback(qfmt, arrow=False), min_size=1, max_size=4))
        for choice in choices:
            choice.text_format = ""  # short answers keep no format
    elif qtype == NUM:
        choices = draw(st.lists(numerical_choice(qfmt), min_size=1, max_size=4))
        if all(c.is_catch_all for c in choices):
            choices.append(Choice(fraction=1, value=Decimal(1), tolerance=Decimal(0)))
    elif qtype == MATCH:
        pairs = draw(st.lists(matching_choice(qfmt, left=True), min_size=2, max_size=4))
        extras = draw(st.lists(matching_choice(qfmt, left=False), max_size=2))
        choices = pairs + extras
    elif qtype == TF:
        for key in ("feedback_wrong", "feedback_right"):
            options[key] = draw(texts(required=False))
            fmt = draw(other_format(qfmt, options[key]))
            if fmt:
                options[f"{key}_format"] = fmt
        options["correct"] = draw(st.booleans())
    return Question(
        name=draw(texts()),
        qtype=qtype,
        text=draw(texts()),
        general_feedback=general,
        choices=choices,
        options=options,
    )


@st.composite
def numerical_choice(draw, qfmt):
    base = draw(choice_with_feedback(qfmt, text=False))
    kind = draw(st.sampled_from(["exact", "range", "other"]))
    if kind == "exact":
        base.value = draw(NUMBERS)
        base.tolerance = abs(draw(NUMBERS))
    elif kind == "range":
        low, high = sorted([draw(NUMBERS), draw(NUMBERS)])
        base.low, base.high = low, high
    else:
        base.text = "*"
    return base


@st.composite
def matching_choice(draw, qfmt, *, left):
    left_text = draw(texts(arrow=False)) if left else ""
    return Choice(
        text=left_text,
        text_format=draw(other_format(qfmt, left_text)),
        match=draw(texts()),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(questions(), min_size=1, max_size=4))
def test_generated_questions_round_trip(qs):
    text = dump_gift(qs)
    assert [plain(q) for q in parse_gift(text)] == [plain(q) for q in qs]


@settings(max_examples=100, deadline=None)
@given(questions())
def test_round_trip_of_one_question_without_category(question):
    question.options.pop("category", None)
    [again] = parse_gift(to_gift(question))
    assert plain(again) == plain(question)


@settings(max_examples=100, deadline=None)
@given(questions())
def test_to_dict_is_json_safe_and_from_dict_reverses_it(question):
    data = json.loads(json.dumps(question.to_dict()))
    assert Question.from_dict(data) == question
    assert Question.from_dict(data).to_dict() == question.to_dict()


def test_from_dict_refuses_unknown_keys_and_types():
    with pytest.raises(ValueError):
        Question.from_dict({"name": "q", "qtype": "essay", "text": "t", "colour": "red"})
    with pytest.raises(ValueError):
        Question.from_dict({"name": "q", "qtype": "poll", "text": "t"})
    with pytest.raises(ValueError):
        Choice.from_dict({"text": "a", "fraction": "half"})
    with pytest.raises(ValueError):
        Choice(fraction=0.5)  # floats are refused: their binary value is not 0.5 exactly


def test_fractions_are_canonical():
    assert str(Choice(fraction=Decimal("0.500")).fraction) == "0.5"
    assert str(Choice(fraction=Decimal("1.00")).fraction) == "1"
    assert str(Choice(fraction=Decimal("-0")).fraction) == "0"
    assert str(Choice(fraction="5E-1").fraction) == "0.5"
    assert str(Choice(fraction=Decimal("0.1234567890123456789012345678901")).fraction) == (
        "0.1234567890123456789012345678901"
    )
