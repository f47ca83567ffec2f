"""The demo question banks: loaded before the catalog, and drawn from at random."""

import io

import pytest
from django.core.management import CommandError, call_command

from courses import services
from courses.models import BankQuestion, CoursePage, QuestionBank, QuizPage
from courses.questions.data import QuestionType
from courses.quiz import attempts
from courses.quiz.banks import BankImportError, import_bank_folder
from tests.accounts.factories import make_user
from tests.conftest import BANKS

pytestmark = pytest.mark.django_db


def test_every_bank_file_is_loaded_into_the_bank_of_its_subject(catalog):
    for path in BANKS.glob("*.gift"):
        bank = QuestionBank.objects.get(slug=path.stem)
        assert bank.subject.slug == path.stem and bank.organisation is None
        assert bank.questions.count() >= 30


def test_loading_the_banks_again_changes_nothing(catalog):
    before = list(BankQuestion.objects.order_by("pk").values_list("pk", "data"))
    counts = import_bank_folder(BANKS)
    assert all(created == updated == 0 for created, updated, _ in counts.values())
    assert list(BankQuestion.objects.order_by("pk").values_list("pk", "data")) == before


def test_a_bank_file_without_a_subject_or_with_bad_gift_changes_nothing(catalog, tmp_path):
    before = BankQuestion.objects.count()
    (tmp_path / "certification.gift").write_text("::new-one:: 新题 {T}\n", encoding="utf-8")
    (tmp_path / "astrology.gift").write_text("::x:: 星座 {T}\n", encoding="utf-8")
    with pytest.raises(BankImportError, match=r"astrology\.gift: no subject"):
        import_bank_folder(tmp_path)
    (tmp_path / "astrology.gift").unlink()
    (tmp_path / "metrology.gift").write_text("::ok:: 好题 {T}\n\n::bad:: 坏 {=甲 ~乙\n", "utf-8")
    with pytest.raises(BankImportError, match=r"metrology\.gift: .*line 3"):
        import_bank_folder(tmp_path)
    assert BankQuestion.objects.count() == before
    assert not BankQuestion.objects.filter(name="new-one").exists()


def test_bootstrap_demo_loads_the_banks_before_the_catalog(catalog):
    out = io.StringIO()
    call_command("bootstrap", "--demo", stdout=out)
    text = out.getvalue()
    assert "Question banks: certification" in text
    assert text.index("Question banks:") < text.index("Demo catalog:")
    assert "Demo catalog: " in text and "unchanged" in text


def test_bootstrap_names_a_broken_bank_file(catalog, settings, tmp_path):
    (tmp_path / "content" / "banks").mkdir(parents=True)
    (tmp_path / "content" / "banks" / "astrology.gift").write_text("::x:: 星座 {T}\n", "utf-8")
    settings.BASE_DIR = tmp_path
    with pytest.raises(CommandError, match=r"astrology\.gift"):
        call_command("bootstrap", "--demo", stdout=io.StringIO())


def final_quiz():
    course = CoursePage.objects.get(slug="certification-and-testing")
    return course, QuizPage.objects.child_of(course).get(slug="final")


def test_the_certification_final_quiz_draws_part_of_its_paper_from_the_bank(catalog):
    course, quiz = final_quiz()
    assert quiz.draw_bank.slug == "certification" and quiz.draw_count == 5
    papers = []
    for _ in range(2):
        learner = make_user()
        services.enrol(learner, course)
        papers.append(attempts.start_attempt(learner, quiz).snapshot["items"])
    own = {q.name for q in quiz.own_questions() if q.qtype != QuestionType.DESCRIPTION}
    bank_keys = {f"bank-{pk}" for pk in quiz.draw_bank.questions.values_list("pk", flat=True)}
    drawn = []
    for items in papers:
        keys = [item["key"] for item in items]
        assert own <= set(keys)
        assert len([k for k in keys if k in bank_keys]) == 5
        assert len(keys) == len(own) + 5
        # One mark per question: every item is graded by the machine, none waits for a teacher.
        assert all(
            item["question"]["qtype"] not in (QuestionType.DESCRIPTION, QuestionType.ESSAY)
            for item in items
        )
        drawn.append({k for k in keys if k in bank_keys})
    # Five of 36 drawn twice alike happens about once in 377,000 runs.
    assert drawn[0] != drawn[1]
    assert len(papers[0]) == len(papers[1])


def test_the_command_takes_the_folder_as_a_deployment_would(catalog, tmp_path):
    out = io.StringIO()
    call_command("import_questions", str(BANKS), stdout=out)
    assert "certification: 0 created, 0 updated" in out.getvalue()
    (tmp_path / "astrology.gift").write_text("::x:: 星座 {T}\n", encoding="utf-8")
    before = BankQuestion.objects.count()
    with pytest.raises(CommandError, match=r"astrology\.gift: no subject"):
        call_command("import_questions", str(tmp_path))
    with pytest.raises(CommandError, match="leave out --bank"):
        call_command("import_questions", str(BANKS), bank="metrology")
    with pytest.raises(CommandError, match="--bank is required"):
        call_command("import_questions", str(BANKS / "metrology.gift"))
    assert BankQuestion.objects.count() == before
