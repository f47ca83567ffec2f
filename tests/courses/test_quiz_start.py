"""Starting a quiz at the start of an exam: a few statements whatever the quiz's size, the
questions read and parsed once per version of the quiz and of its bank, and a change to
either reaching the next start."""

import itertools

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from courses import services
from courses.models import LessonPage, QuestionBank, QuizAttempt, Response
from courses.quiz.banks import import_questions, parse_questions
from serving.pagecache import new_generation
from tests.accounts.factories import make_user
from tests.courses.learning_helpers import quiz_course

pytestmark = pytest.mark.django_db
_learners = itertools.count()

# (The session's read left out) user, the quiz page and the site's view restrictions, then inside one transaction:
# lock the enrolment, count the learner's attempts, insert the attempt, insert all its
# responses, insert its xAPI "attempted" statement into the outbox; with a bank, one aggregate for the bank's version rather than its questions.
# Savepoints are the test's own.
START_STATEMENTS = 8
# With the site state kept (the default install, and Redis): the quiz page and its view
# restrictions are the ones kept for the generation (two statements fewer), and so is the
# enrolment's course, read without the join the lock otherwise carries.
KEPT_START_STATEMENTS = START_STATEMENTS - 2


@pytest.fixture
def kept_site_state(settings, tmp_path):
    """The default install's set-up: pages and site state in memory, the generation in a
    file beside the database."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SITE_GENERATION_FILE = str(tmp_path / "db.sqlite3-generation")
    settings.SITE_STATE_IN_MEMORY = True
    caches["default"].clear()
    new_generation()


def gift(questions):
    return "\n\n".join(
        f"::q{n}:: 第{n}题 {{=千克 ~克 ~吨}}" if n % 2 else f"::q{n}:: 第{n}题 {{T}}"
        for n in range(1, questions + 1)
    )


def statements_of_a_start(client, quiz, course):
    """Statements of one learner's start, after another learner's start built the pool."""
    for name in ("first", "measured"):
        learner = make_user(username=f"{name}-{next(_learners)}")
        services.enrol(learner, course)
        client.force_login(learner)
        with CaptureQueriesContext(connection) as ctx:
            response = client.post(f"/learn/quizzes/{quiz.pk}/start/")
        assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=learner, quiz=quiz)
    assert response["Location"] == f"/learn/attempts/{attempt.pk}/"
    # Savepoints are the test's own; the session's read comes from the cache with Redis.
    sql = [
        q["sql"]
        for q in ctx.captured_queries
        if "SAVEPOINT" not in q["sql"] and '"django_session"' not in q["sql"]
    ]
    return sql, attempt


def bank_with(slug, count, text="题库题"):
    bank = QuestionBank.objects.create(slug=slug, name=slug)
    import_questions(
        bank, parse_questions("\n\n".join(f"::b{i}:: {text}{i} {{T}}" for i in range(count)))
    )
    return bank


def test_a_start_costs_the_same_few_statements_for_4_or_40_questions(client, catalog, tmp_path):
    counts = []
    for size in (4, 40):
        folder = tmp_path / str(size)
        folder.mkdir()
        course, quiz = quiz_course(folder, slug=f"start-{size}", gift=gift(size))
        sql, attempt = statements_of_a_start(client, quiz, course)
        print(len(sql), *(q[:160] for q in sql), sep="\n  ")
        assert len(attempt.snapshot["items"]) == size
        assert Response.objects.filter(attempt=attempt).count() == size
        counts.append(len(sql))
    assert counts == [START_STATEMENTS, START_STATEMENTS]


def test_a_start_drawing_from_a_bank_reads_its_version_not_its_questions(client, catalog, tmp_path):
    bank_with("start-draw", 50)
    course, quiz = quiz_course(
        tmp_path,
        slug="start-draw",
        gift="::own:: 自带题 {T}\n",
        draw={"bank": "start-draw", "count": 5},
    )
    sql, attempt = statements_of_a_start(client, quiz, course)
    assert len(sql) == START_STATEMENTS + 1
    # The questions' rows (their "data" column) are not read; the bank's version is an aggregate.
    assert not any(q.startswith("SELECT") and '"courses_bankquestion"."data"' in q for q in sql), (
        "the bank's questions were read again"
    )
    keys = [item["key"] for item in attempt.snapshot["items"]]
    assert len(keys) == 6 and sum(key.startswith("bank-") for key in keys) == 5


def test_a_published_change_of_the_questions_reaches_the_next_start(client, catalog, tmp_path):
    course, quiz = quiz_course(tmp_path, slug="start-change", gift=gift(4))
    statements_of_a_start(client, quiz, course)
    quiz.gift = "::new:: 修订后的新题 {T}\n"
    quiz.save_revision().publish()
    _sql, attempt = statements_of_a_start(client, quiz, course)
    assert [item["key"] for item in attempt.snapshot["items"]] == ["new"]


def test_a_change_to_the_bank_reaches_the_next_start(client, catalog, tmp_path):
    bank = bank_with("start-bank", 3, text="旧题")
    course, quiz = quiz_course(
        tmp_path,
        slug="start-bank",
        gift="::own:: 自带题 {T}\n",
        draw={"bank": "start-bank", "count": 3},
    )
    statements_of_a_start(client, quiz, course)
    # A question edited in place: same number of questions, a newer save.
    import_questions(bank, parse_questions("::b0:: 改过的题 {F}"))
    _sql, attempt = statements_of_a_start(client, quiz, course)
    texts = [item["question"]["text"] for item in attempt.snapshot["items"]]
    assert any("改过的题" in text for text in texts)
    # A question removed: the next start draws only from what is left.
    bank.questions.filter(name="b1").delete()
    _sql, attempt = statements_of_a_start(client, quiz, course)
    keys = {item["key"] for item in attempt.snapshot["items"]}
    assert len(keys) == 3 and f"bank-{bank.questions.get(name='b0').pk}" in keys
    assert all(
        key == "own" or int(key[5:]) in set(bank.questions.values_list("pk", flat=True))
        for key in keys
    )


def test_with_the_site_state_kept_a_start_reads_no_page(client, catalog, tmp_path, kept_site_state):
    course, quiz = quiz_course(tmp_path, slug="start-kept", gift=gift(10))
    sql, attempt = statements_of_a_start(client, quiz, course)
    print(len(sql), *(q[:160] for q in sql), sep="\n  ")
    assert len(sql) == KEPT_START_STATEMENTS
    # The enrolment's lock names the course by tree path; no page's own row is read.
    assert not any(q.startswith('SELECT "wagtailcore_page"') for q in sql)
    assert not any("pageviewrestriction" in q for q in sql)
    assert len(attempt.snapshot["items"]) == 10


def refused(client, quiz, course):
    """A new enrolled learner's start: (status, whether an attempt was made)."""
    learner = make_user(username=f"refused-{next(_learners)}")
    services.enrol(learner, course)
    client.force_login(learner)
    response = client.post(f"/learn/quizzes/{quiz.pk}/start/")
    return response.status_code, QuizAttempt.objects.filter(user=learner).exists()


def test_with_the_site_state_kept_an_unpublished_or_private_quiz_cannot_be_started(
    client, catalog, tmp_path, kept_site_state, django_capture_on_commit_callbacks
):
    course, quiz = quiz_course(tmp_path, slug="start-gone", gift=gift(4))
    statements_of_a_start(client, quiz, course)  # the quiz is kept from here on
    with django_capture_on_commit_callbacks(execute=True):
        restriction = PageViewRestriction.objects.create(
            page=course, restriction_type=PageViewRestriction.PASSWORD, password="zhiliang2026"
        )
    assert refused(client, quiz, course) == (404, False)
    with django_capture_on_commit_callbacks(execute=True):
        restriction.delete()
    assert refused(client, quiz, course)[0] == 302
    with django_capture_on_commit_callbacks(execute=True):
        quiz.unpublish()
    assert refused(client, quiz, course) == (404, False)


def test_with_the_site_state_kept_a_start_names_a_quiz_or_nothing(
    client, catalog, tmp_path, kept_site_state
):
    course, _quiz = quiz_course(tmp_path, slug="start-other", gift=gift(4))
    lesson = LessonPage.objects.child_of(course).first()
    learner = make_user(username=f"other-{next(_learners)}")
    services.enrol(learner, course)
    client.force_login(learner)
    for page_id in (lesson.pk, 987654):
        assert client.post(f"/learn/quizzes/{page_id}/start/").status_code == 404
    assert not QuizAttempt.objects.filter(user=learner).exists()
