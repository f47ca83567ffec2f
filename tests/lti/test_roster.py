"""Names and Role Provisioning: a teacher of one of our schools, having launched from the
platform as its course's instructor, pulls the course's learners into a class, fetched from
the independent platform's membership endpoint (tests/lti/platform.py)."""

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from accounts.models import Membership, Role
from accounts.roles import work_roles
from classrooms.models import ClassPupil
from cms.setup import ensure_site_tree
from lti.models import PlatformAccount, RosterPull
from tests.certificates.helpers import lessons_course
from tests.classrooms.helpers import make_class, make_school, make_teacher
from tests.lti.conftest import launch, register
from tests.lti.platform import INSTRUCTOR, LEARNER, Platform

pytestmark = pytest.mark.django_db(transaction=True)

TEACHER = {"sub": "moodle-teacher-1", "name": "周老师"}


def member(sub, name, roles=(LEARNER,), **extra):
    return {"user_id": sub, "name": name, "roles": list(roles), **extra}


@pytest.fixture
def site(live_server):
    ensure_site_tree()
    return live_server.url


@pytest.fixture
def platform(site):
    platform = Platform(site)
    register(platform)
    platform.members = [
        member(TEACHER["sub"], TEACHER["name"], roles=(INSTRUCTOR,)),
        member("moodle-user-17", "王小明"),
        member("moodle-user-18", "李华"),
        member("moodle-user-19", "退课生", status="Inactive"),
    ]
    yield platform
    platform.close()


def roster_link(browser, site, platform, course):
    response, _ = launch(
        browser,
        site,
        platform,
        course.full_url,
        TEACHER,
        roles=(INSTRUCTOR,),
        custom={"page": str(course.pk)},
        nrps=True,
    )
    assert response.status_code == 200, response.text[:300]
    return re.search(r'href="(/lti/roster/[^"]+/)"', response.text).group(1)


def pupils(classroom):
    return sorted(
        ClassPupil.objects.filter(classroom=classroom).values_list(
            "user__lti_account__lti_user__sub", "user__real_name"
        )
    )


def test_a_teacher_pulls_the_roster_into_their_class_and_again_for_newcomers(
    site, platform, browser, client, tmp_path
):
    course = lessons_course(tmp_path)
    link = roster_link(browser, site, platform, course)
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    other_teacher = make_teacher(make_school("另一所中学"), real_name="钱老师")
    other_class = make_class(other_teacher.memberships.get().organisation, other_teacher, "别班")
    users_before = get_user_model().objects.count()

    client.force_login(teacher)
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert classroom.name in text and "别班" not in text

    # Somebody else's class, a class id that is no number, a forged link: not found.
    assert client.post(link, {"classroom": other_class.pk}).status_code == 404
    assert client.post(link, {"classroom": "x"}).status_code == 404
    assert client.post(link[:-3] + "xx/", {"classroom": classroom.pk}).status_code == 404
    assert get_user_model().objects.count() == users_before
    assert not ClassPupil.objects.exists()

    response = client.post(link, {"classroom": classroom.pk})
    assert response.status_code == 302
    with translation.override("zh-hans"):
        told = translation.gettext(
            "%(count)s pupils added to %(class)s; those already in it are unchanged."
        ) % {"count": 2, "class": classroom.name}
    assert html.escape(told) in client.get(link).content.decode()
    # The active learners, not the instructor, not the one who left the course.
    assert pupils(classroom) == [("moodle-user-17", "王小明"), ("moodle-user-18", "李华")]
    accounts = PlatformAccount.objects.filter(
        lti_user__sub__in=["moodle-user-17", "moodle-user-18"]
    )
    for account in accounts.select_related("user"):
        assert not account.user.has_usable_password() and not account.user.is_staff
        assert Membership.objects.get(user=account.user, organisation=school).role == Role.LEARNER
    assert not ClassPupil.objects.filter(classroom=other_class).exists()

    # A learner launches from the platform before being in any class here: signed in, as a
    # member of no school.
    with type(browser)() as own_browser:
        response, _ = launch(
            own_browser,
            site,
            platform,
            course.full_url,
            {"sub": "moodle-user-20", "name": "孙丽"},
            custom={"page": str(course.pk)},
        )
    assert response.status_code == 302
    newcomer = PlatformAccount.objects.get(lti_user__sub="moodle-user-20").user
    assert not work_roles(newcomer).member

    # Later: one learner renamed, one gone from the platform, that one new. Only the new one
    # is added, with the account of the launch; nobody is renamed or removed.
    platform.members = [
        member("moodle-user-17", "王大明"),
        member("moodle-user-20", "孙丽"),
    ]
    assert client.post(link, {"classroom": classroom.pk}).status_code == 302
    assert pupils(classroom) == [
        ("moodle-user-17", "王小明"),
        ("moodle-user-18", "李华"),
        ("moodle-user-20", "孙丽"),
    ]
    assert RosterPull.objects.get(classroom=classroom).added == 1
    assert PlatformAccount.objects.filter(lti_user__sub="moodle-user-20").count() == 1
    # Made a member of the school in bulk: their next page knows it (their school's staff
    # training can reach them), not ten minutes later.
    assert work_roles(newcomer).member


def test_a_platform_that_gives_no_roster_changes_nothing(site, platform, browser, client, tmp_path):
    course = lessons_course(tmp_path)
    link = roster_link(browser, site, platform, course)
    school = make_school()
    teacher = make_teacher(school)
    classroom = make_class(school, teacher)
    users_before = get_user_model().objects.count()
    client.force_login(teacher)

    platform.down = True
    response = client.post(link, {"classroom": classroom.pk})
    assert response.status_code == 502
    assert not ClassPupil.objects.exists()
    assert get_user_model().objects.count() == users_before

    # The account the launch made is no teacher here: it is told to sign in as one.
    launched = PlatformAccount.objects.get(lti_user__sub=TEACHER["sub"]).user
    client.force_login(launched)
    page = client.get(link)
    assert page.status_code == 200
    assert 'action="/accounts/logout/"' in page.content.decode()
    assert client.post(link, {"classroom": classroom.pk}).status_code == 404


def test_a_learner_launch_with_the_roster_claim_gets_no_roster_link(
    site, platform, browser, tmp_path
):
    course = lessons_course(tmp_path)
    response, _ = launch(
        browser,
        site,
        platform,
        course.full_url,
        {"sub": "moodle-user-17", "name": "王小明"},
        custom={"page": str(course.pk)},
        nrps=True,
    )
    assert response.status_code == 302
    assert response.headers["Location"] == course.url
