import pytest
import requests
from lti_tool.models import LtiDeployment, LtiRegistration

from cms.setup import ensure_site_tree
from courses.models import CoursePage, QuizPage
from courses.package.services import import_packages
from tests.conftest import CONTENT
from tests.lti.platform import Platform


@pytest.fixture
def tool(live_server):
    """Our site on a live server with one demo course and its quiz (the whole catalog
    would be rebuilt for every test, as a live server's test empties the database)."""
    ensure_site_tree()
    import_packages([CONTENT / "measure-and-compare.yaml"])
    return live_server.url


def register(platform, name="Moodle of No. 1 Middle School", deployments=None):
    registration = LtiRegistration.objects.create(
        name=name,
        issuer=platform.issuer,
        client_id=platform.client_id,
        auth_url=platform.auth_url,
        token_url=platform.token_url,
        keyset_url=platform.keyset_url,
    )
    for deployment_id in deployments or [platform.deployment_id]:
        LtiDeployment.objects.create(
            registration=registration, deployment_id=deployment_id, is_active=True
        )
    return registration


@pytest.fixture
def platform(tool):
    platform = Platform(tool)
    register(platform)
    yield platform
    platform.close()


@pytest.fixture
def course(tool):
    return CoursePage.objects.live().order_by("path").first()


@pytest.fixture
def quiz(tool):
    return QuizPage.objects.live().order_by("path").first()


def start_login(browser, tool, platform, target, login_hint="user-1"):
    """The platform sends the browser to our login initiation; we answer with a redirect
    to the platform's authentication address. Returns that address."""
    response = browser.get(
        f"{tool}/lti/login/",
        params=platform.login_params(target, login_hint),
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    location = response.headers["Location"]
    assert location.startswith(platform.auth_url)
    return location


def post_launch(browser, form):
    return browser.post(
        form["launch_url"],
        data={"id_token": form["id_token"], "state": form["state"]},
        allow_redirects=False,
    )


def launch(browser, tool, platform, target, user, **kwargs):
    auth = start_login(browser, tool, platform, target, user["sub"])
    form = platform.id_token_for(auth, user, target, **kwargs)
    return post_launch(browser, form), form


@pytest.fixture
def browser():
    with requests.Session() as session:
        yield session
