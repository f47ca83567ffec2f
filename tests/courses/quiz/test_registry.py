"""The question types: one kind per type, found by its value, tried in Moodle's GIFT order."""

import pytest

from courses.questions.data import Question, QuestionType
from courses.questions.registry import KINDS, gift_kind, kind_of


def test_every_question_type_has_exactly_one_kind():
    assert set(KINDS) == set(QuestionType)
    assert all(kind.qtype == qtype for qtype, kind in KINDS.items())
    assert len({id(kind) for kind in KINDS.values()}) == len(QuestionType)


def test_a_kind_is_found_by_question_type_or_by_the_value_a_snapshot_stores():
    question = Question(name="q", qtype=QuestionType.ESSAY, text="Why?")
    assert kind_of(question) is kind_of("essay") is kind_of(QuestionType.ESSAY)
    assert kind_of(question).graded_by_teacher
    assert not kind_of("description").gradable


def test_an_unknown_type_value_is_refused():
    with pytest.raises(ValueError):
        kind_of("cloze")


@pytest.mark.parametrize(
    ("answertext", "qtype"),
    [
        (None, QuestionType.DESCRIPTION),
        ("", QuestionType.ESSAY),
        ("#3.14:0.01", QuestionType.NUMERICAL),
        ("#=3 ~#any other answer", QuestionType.NUMERICAL),  # "#" first, before "~"
        ("~Paris =London", QuestionType.SINGLE_CHOICE),
        ("~%50%Paris ~%50%London", QuestionType.MULTIPLE_RESPONSE),
        ("~a -> b =c -> d", QuestionType.SINGLE_CHOICE),  # "~" before "->"
        ("=cat -> 猫 =dog -> 狗", QuestionType.MATCHING),
        ("T", QuestionType.TRUE_FALSE),
        ("FALSE#wrong#right", QuestionType.TRUE_FALSE),
        ("=Frog =%50%Cat", QuestionType.SHORT_ANSWER),
        ("TRUE answer", QuestionType.SHORT_ANSWER),
    ],
)
def test_a_gift_answer_block_goes_to_the_type_moodle_gives_it(answertext, qtype):
    assert gift_kind(answertext).qtype == qtype
