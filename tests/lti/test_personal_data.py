"""A launched person's platform identity is in their data export and leaves with the account."""

import pytest
from django.utils import timezone
from lti_tool.models import LtiRegistration, LtiUser
from wagtail.models import Page

from accounts.services import delete_account, personal_data
from lti.models import GradeLink, PlatformAccount, ScorePassback
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def launched(real_name, sub, registration):
    user = make_user(real_name=real_name, email="")
    person = LtiUser.objects.create(
        registration=registration,
        sub=sub,
        name=real_name,
        email=f"{sub}@school.example",
        auth_user=user,
    )
    PlatformAccount.objects.create(user=user, lti_user=person)
    return user


@pytest.fixture
def registration():
    return LtiRegistration.objects.create(
        name="第一中学 Moodle",
        issuer="https://moodle.school.example",
        client_id="qa-tool",
        auth_url="https://moodle.school.example/mod/lti/auth.php",
        token_url="https://moodle.school.example/mod/lti/token.php",
        keyset_url="https://moodle.school.example/mod/lti/certs.php",
    )


def test_the_export_lists_the_platform_identity_and_no_one_elses(registration):
    wang = launched("王小明", "moodle-user-17", registration)
    launched("李华", "moodle-user-18", registration)
    identities = personal_data(wang)["learning_platform_identities"]
    assert [(i["platform"], i["subject"], i["email"]) for i in identities] == [
        ("第一中学 Moodle", "moodle-user-17", "moodle-user-17@school.example")
    ]


def passed_back(user, registration, score):
    link = GradeLink.objects.create(
        user=user,
        page=Page.objects.get(depth=1),
        registration=registration,
        resource_link_id="link-1",
        lineitem="https://moodle.school.example/mod/lti/services.php/2/lineitems/7/lineitem",
        scopes=[],
    )
    return ScorePassback.objects.create(
        link=link,
        event=f"quiz-attempt:{user.pk}",
        score_given=score,
        score_maximum=100,
        happened_at=timezone.now(),
    )


def test_the_export_lists_the_scores_passed_back_for_them_only(registration):
    wang = launched("王小明", "moodle-user-17", registration)
    li = launched("李华", "moodle-user-18", registration)
    passed_back(wang, registration, 75)
    passed_back(li, registration, 50)
    grades = personal_data(wang)["learning_platform_grades"]
    assert [(g["platform"], g["score"], g["state"]) for g in grades] == [
        ("第一中学 Moodle", "75.00", "waiting")
    ]


def test_deleting_the_account_removes_what_the_platform_told_us(registration):
    wang = launched("王小明", "moodle-user-17", registration)
    li = launched("李华", "moodle-user-18", registration)
    passed_back(wang, registration, 75)
    passed_back(li, registration, 50)
    delete_account(wang)
    assert list(LtiUser.objects.values_list("sub", flat=True)) == ["moodle-user-18"]
    assert PlatformAccount.objects.get().user == li
    assert list(ScorePassback.objects.values_list("link__user", flat=True)) == [li.pk]
