"""The header's links to a person's work follow their roles at once."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import roles
from accounts.models import OrganisationKind, Role
from accounts.roles import work_roles
from tests.accounts.factories import add_member, make_organisation, make_user

pytestmark = pytest.mark.django_db


def header(client):
    return client.get("/dashboard/").content.decode()


def test_admin_access_through_a_group_shows_and_goes_at_once(client):
    user = make_user()
    client.force_login(user)
    assert 'href="/admin/"' not in header(client)
    editors = Group.objects.create(name="编辑")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    user.groups.add(editors)
    assert 'href="/admin/">管理后台</a>' in header(client)
    editors.user_set.remove(user)
    assert 'href="/admin/"' not in header(client)


def test_a_school_manager_has_classes_and_staff_training(client):
    user = make_user()
    add_member(make_organisation(kind=OrganisationKind.SCHOOL, name="示范小学"), user, Role.MANAGER)
    client.force_login(user)
    html = header(client)
    assert 'href="/classes/">我的班级</a>' in html and 'href="/org/staff/">员工培训</a>' in html


def test_roles_are_read_in_one_query_at_sign_in_and_never_after(client):
    user = make_user()
    add_member(make_organisation(), user, Role.MANAGER)
    with CaptureQueriesContext(connection) as ctx:
        client.force_login(user)
    assert any("accounts_membership" in q["sql"] for q in ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        assert work_roles(user).manager
    assert ctx.captured_queries == []


def test_an_inactive_or_anonymous_user_has_no_work_roles(db):
    from django.contrib.auth.models import AnonymousUser

    assert not work_roles(AnonymousUser())
    user = make_user(is_superuser=True, is_active=False)
    assert not work_roles(user)


def test_a_page_reads_the_roles_once_however_many_parts_ask(client, monkeypatch):
    # The header and each dashboard section (staff training, a manager's and a teacher's
    # attention panels) ask: one cache read serves them all.
    user = make_user()
    add_member(make_organisation(kind=OrganisationKind.SCHOOL, name="实验中学"), user, Role.MANAGER)
    client.force_login(user)
    reads = []
    real_get = roles.cache.get

    def counted(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(roles.cache, "get", counted)
    html = header(client)
    assert 'href="/classes/">我的班级</a>' in html and 'href="/org/staff/">员工培训</a>' in html
    assert [key for key in reads if key.startswith("work-roles")] == [roles.cache_key(user.pk)]


def test_roles_changed_during_a_request_are_read_again_within_it():
    user = make_user()
    with roles.read_once():
        assert not work_roles(user).manager
        add_member(make_organisation(), user, Role.MANAGER)  # the receiver forgets them
        assert work_roles(user).manager
    # Outside a request nothing is kept but the shared cache.
    assert roles._request_memo.get() is None
