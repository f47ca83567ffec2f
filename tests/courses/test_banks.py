from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from courses import services
from courses.models import AttemptStatus, BankQuestion, QuestionBank, Response
from courses.questions.data import QuestionType
from courses.quiz import attempts
from courses.quiz.banks import export_bank, import_questions, parse_questions
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import quiz_course

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "gift"
MOODLE_FILES = ["moodle-fixture-questions.gift.txt", "moodle-examples.gift.txt"]


@pytest.mark.parametrize("name", MOODLE_FILES)
def test_moodle_reference_files_import_into_a_bank_and_round_trip(name, tmp_path):
    call_command(
        "import_questions",
        str(FIXTURES / name),
        "--bank",
        "moodle",
        "--subject",
        "quality-management",
    )
    bank = QuestionBank.objects.get(slug="moodle")
    expected = parse_questions((FIXTURES / name).read_text(encoding="utf-8"))
    assert bank.questions.count() == len(expected)
    assert {q.qtype for q in bank.questions.all()} == {q.qtype.value for q in expected}

    exported = tmp_path / "export.gift"
    call_command("export_questions", "--bank", "moodle", "-o", str(exported))
    created, updated, unchanged = import_questions(
        bank, parse_questions(exported.read_text(encoding="utf-8"))
    )
    assert (created, updated, unchanged) == (0, 0, len(expected))


def test_fixture_keeps_moodles_types_credits_and_feedback():
    bank = QuestionBank.objects.create(slug="fx", name="fx")
    import_questions(bank, parse_questions((FIXTURES / MOODLE_FILES[0]).read_text("utf-8")))
    types = sorted(q.qtype for q in bank.questions.all())
    assert types.count(QuestionType.TRUE_FALSE) >= 2
    multi = next(
        q.as_question() for q in bank.questions.all() if q.qtype == QuestionType.MULTIPLE_RESPONSE
    )
    assert sorted(str(c.fraction) for c in multi.choices if c.fraction > 0) == ["0.5", "0.5"]


def test_malformed_gift_names_the_line_and_imports_nothing(tmp_path):
    path = tmp_path / "bad.gift"
    path.write_text("::ok:: 好题 {T}\n\n::bad:: 坏题 {=甲 ~乙\n", encoding="utf-8")
    # The demo catalog's banks are loaded with it: nothing may be added to them or beside them.
    before = BankQuestion.objects.count()
    with pytest.raises(CommandError, match=r"line 3"):
        call_command("import_questions", str(path), "--bank", "bad")
    assert BankQuestion.objects.count() == before
    assert not BankQuestion.objects.filter(bank__slug="bad").exists()


def test_aiken_file_imports_single_choice_questions(tmp_path):
    path = tmp_path / "q.txt"
    path.write_text("计量法于哪一年通过？\nA. 1985年\nB. 1993年\nANSWER: A\n", encoding="utf-8")
    call_command("import_questions", str(path), "--bank", "aiken", "--format", "aiken")
    question = BankQuestion.objects.get(bank__slug="aiken")
    assert question.qtype == QuestionType.SINGLE_CHOICE


def test_quiz_draws_random_questions_from_a_bank(catalog, tmp_path):
    bank = QuestionBank.objects.create(slug="draw", name="抽题题库")
    import_questions(
        bank, parse_questions("\n\n".join(f"::b{i}:: 题目{i} {{T}}" for i in range(10)))
    )
    course, quiz = quiz_course(
        tmp_path, slug="drawn", gift="::own:: 自带题 {T}\n", draw={"bank": "draw", "count": 3}
    )
    learner = make_user()
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    keys = [item["key"] for item in attempt.snapshot["items"]]
    assert len(keys) == 4 and "own" in keys
    assert sum(key.startswith("bank-") for key in keys) == 3


def test_essay_waits_for_the_teacher_then_scores(catalog, tmp_path):
    course, quiz = quiz_course(
        tmp_path,
        slug="essay",
        gift="::tf:: 计量单位很重要。 {T}\n\n::essay:: 谈谈你对质量的理解。 {}\n",
        pass_mark=50,
    )
    learner, teacher = make_user(), make_user()
    services.enrol(learner, course)
    attempt = attempts.start_attempt(learner, quiz)
    attempts.save_answer(attempt, "tf", True, 0)
    attempts.save_answer(attempt, "essay", "质量是企业的生命。", 0)
    attempts.submit_attempt(attempt)
    assert attempt.status == AttemptStatus.AWAITING_GRADING and attempt.score is None
    response = Response.objects.get(attempt=attempt, question_key="essay")
    attempts.grade_essay(response, 0.5, teacher, "论述清楚。")
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FINISHED and attempt.score == 75 and attempt.passed


def test_admin_imports_a_file_after_a_preview_and_previews_a_question(client, catalog):
    admin = get_user_model().objects.create_superuser("root", "root@example.com", "x" * 12)
    client.force_login(admin)
    bank = QuestionBank.objects.create(slug="admin-bank", name="管理员题库")
    upload = SimpleUploadedFile("q.gift", "::a:: 质量是生命。 {T}\n\n::b:: 1+1\\=? {#2}\n".encode())
    page = client.post(f"/admin/banks/{bank.pk}/import/", {"file": upload, "format": "gift"})
    assert page.status_code == 200 and "质量是生命" in page.content.decode()
    assert not bank.questions.exists()
    client.post(f"/admin/banks/{bank.pk}/import/", {"confirm": "1"})
    assert bank.questions.count() == 2
    question = bank.questions.get(name="b")
    preview = client.get(f"/admin/questions/{question.pk}/preview/")
    assert preview.status_code == 200 and "2" in preview.content.decode()
    assert "::a::" in client.get(f"/admin/banks/{bank.pk}/export/").content.decode()
    assert client.get("/admin/questionbank/").status_code == 200


def test_non_staff_cannot_reach_the_bank_pages(client, catalog):
    bank = QuestionBank.objects.create(slug="closed", name="closed")
    client.force_login(make_user())
    assert client.get(f"/admin/banks/{bank.pk}/export/").status_code in (302, 403)


def test_export_of_bank_is_valid_gift():
    bank = QuestionBank.objects.create(slug="e", name="e")
    import_questions(bank, parse_questions("::x:: 选择 {=对 ~错}\n"))
    assert parse_questions(export_bank(bank))[0].name == "x"


def test_teacher_keeps_school_banks_and_never_sees_another_schools(client, catalog):
    from accounts.models import OrganisationKind, Role
    from tests.accounts.factories import add_member, credit_code, make_organisation

    school = make_organisation(kind=OrganisationKind.SCHOOL, credit_code=credit_code())
    other = make_organisation(kind=OrganisationKind.SCHOOL, credit_code=credit_code())
    teacher = make_user()
    add_member(school, teacher, role=Role.TEACHER)
    theirs = QuestionBank.objects.create(slug="theirs", name="别校题库", organisation=other)
    client.force_login(teacher)
    client.post("/school/banks/", {"name": "七年级计量"})
    bank = QuestionBank.objects.get(organisation=school)
    upload = SimpleUploadedFile("q.gift", "::a:: 一米等于一百厘米。 {T}\n".encode())
    preview = client.post(f"/school/banks/{bank.pk}/", {"file": upload, "format": "gift"})
    assert "一米等于一百厘米" in preview.content.decode() and not bank.questions.exists()
    client.post(f"/school/banks/{bank.pk}/", {"confirm": "1"})
    assert bank.questions.count() == 1
    assert "别校题库" not in client.get("/school/banks/").content.decode()
    for url in (f"/school/banks/{theirs.pk}/", f"/school/banks/{theirs.pk}/export/"):
        assert client.get(url).status_code == 404
    upload = SimpleUploadedFile("q.gift", b"::x:: {T}\n")
    assert (
        client.post(f"/school/banks/{theirs.pk}/", {"file": upload, "format": "gift"}).status_code
        == 404
    )
    assert not theirs.questions.exists()


def test_learners_have_no_school_banks(client, catalog):
    client.force_login(make_user())
    assert client.get("/school/banks/").status_code == 404
