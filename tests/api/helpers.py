"""An enterprise with a manager and a key, and the calls its systems make."""

from api import keys
from tests.accounts.factories import add_member, make_organisation, make_user


def enterprise(name="上海测试精工有限公司", **extra):
    manager = make_user(real_name="陈经理")
    organisation = make_organisation(manager=manager, name=name, **extra)
    return manager, organisation


def new_key(organisation, manager, name="HR 系统"):
    return keys.create(organisation, manager, name)[1]


def staff(organisation, name, department="质检部", **extra):
    return add_member(organisation, make_user(real_name=name), department=department, **extra)


def call(client, key, path, **params):
    return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {key}")
