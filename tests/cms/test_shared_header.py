"""The site's header and footer, rendered once per language and kind of visitor and shared by
every page (templates/base.html, serving/fragments.py): what each visitor sees in them is still
their own: their links, the page they would switch language on, their search."""

import pytest
from django.template import Context, Template
from django.template.defaultfilters import urlencode
from django.test import RequestFactory

from accounts.models import Role
from serving.pagecache import new_generation
from tests.accounts.factories import add_member, make_user
from tests.classrooms.helpers import make_school, make_teacher
from tests.conftest import own_cache_keys

pytestmark = pytest.mark.django_db

CLASSES_LINK = 'href="/classes/">我的班级</a>'


@pytest.fixture
def shared_parts(settings):
    settings.PAGE_CACHE_SECONDS = 300
    new_generation()


def headers_kept():
    """The variants of the shared header in the cache."""
    keys = own_cache_keys("site-header")
    return {key.split(":site-header:")[1].rsplit(":", 1)[0] for key in keys}


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_teacher_and_a_learner_each_see_their_own_header_whoever_came_first(
    client, shared_parts, catalog
):
    teacher = make_teacher(make_school())
    signed_in(client, teacher)
    assert CLASSES_LINK in client.get("/dashboard/").content.decode()
    assert CLASSES_LINK in client.get("/profile/").content.decode()

    client.logout()
    signed_in(client, make_user(real_name="学员甲"))
    for url in ("/dashboard/", "/profile/"):
        html = client.get(url).content.decode()
        assert CLASSES_LINK not in html and 'href="/dashboard/">我的学习</a>' in html
    client.logout()
    assert "登录</a>" in client.get("/search/?q=计量").content.decode()
    # One header per kind of visitor, whatever the number of pages they saw.
    assert headers_kept() == {"signed-in:100", "signed-in:000", "visitor"}


def test_the_language_link_and_the_search_box_are_each_requests_own(client, shared_parts, catalog):
    signed_in(client, make_user(real_name="学员乙"))
    client.get("/dashboard/")  # the header is kept
    response = client.get("/search/", {"q": "计量", "kind": "course"})
    html = response.content.decode()
    full_path = urlencode(response.wsgi_request.get_full_path())
    assert full_path == "/search/%3Fq%3D%25E8%25AE%25A1%25E9%2587%258F%26kind%3Dcourse"
    assert f'href="/language/en/?next={full_path}"' in html
    assert 'name="q" maxlength="100" value="计量"' in html
    hostile = client.get("/search/", {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in hostile
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in hostile
    html = client.get("/profile/").content.decode()
    assert 'href="/language/en/?next=/profile/"' in html
    assert 'name="q" maxlength="100" value=""' in html


def test_a_teacher_made_during_the_session_sees_the_classes_link_on_the_next_request(
    client, shared_parts, catalog
):
    user = make_user(real_name="新老师")
    signed_in(client, user)
    assert CLASSES_LINK not in client.get("/dashboard/").content.decode()
    add_member(make_school(), user, role=Role.TEACHER)
    assert CLASSES_LINK in client.get("/dashboard/").content.decode()


def test_a_shared_block_without_its_variant_or_with_the_cache_off_is_rendered_whole(
    settings, shared_parts
):
    template = Template(
        '{% load shared %}{% shared "part" sitewide vary=who %}[{{ who }}|'
        "{% own %}{{ mine }}{% endown %}]{% endshared %}"
    )
    request = RequestFactory().get("/")

    def render(**values):
        return template.render(Context({"request": request, **values}))

    assert render(who="a", mine="1") == "[a|1]"
    assert render(who="a", mine="2") == "[a|2]"  # kept, with this request's hole
    assert render(who="b", mine="3") == "[b|3]"
    # No variant in the context: nothing to tell visitors apart by, so nothing is shared.
    assert render(mine="4") == "[|4]"
    assert render(who="", mine="5") == "[|5]"
    settings.PAGE_CACHE_SECONDS = 0
    assert render(who="a", mine="6") == "[a|6]"
