"""Checking a launch and finding whom and what it is for.

The order matters: every check runs before anything is written, and the nonce is recorded
in the same transaction that creates the account, so a refused launch leaves no row and a
token accepted once is never accepted again.
"""

import hashlib
import logging
from datetime import UTC, datetime
from urllib.parse import urlparse

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiLaunch, LtiUser
from lti_tool.utils import sync_data_from_launch
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.exception import LtiException
from wagtail.models import Page

from accounts.validators import validate_real_name
from courses.models import CoursePage, QuizPage
from lti.models import PlatformAccount, UsedNonce
from lti.tool import ToolConfig

logger = logging.getLogger(__name__)

CUSTOM_PAGE = "page"  # the custom parameter deep linking sets: our page's id
LOGIN_PARAMS_SECONDS = 300  # as long as PyLTI1p3's state cookie lives


class LaunchRefused(Exception):
    """The launch was refused; ``reason`` is what the person is told."""

    def __init__(self, reason, code):
        super().__init__(code)
        self.reason = reason
        self.code = code


class StateCookieMissing(Exception):
    """The browser did not send back the state cookie set at login: inside a platform's
    iframe that is third-party cookies being blocked. ``login_url`` starts again in a
    window of its own, where the cookie is first-party."""

    def __init__(self, login_url):
        super().__init__("state cookie missing")
        self.login_url = login_url


def remember_login(state, params):
    """Keeps the login's parameters under its state for a few minutes, so that a launch
    whose cookie was blocked can offer to begin again in a new window."""
    cache.set(f"lti:login:{state}", params, LOGIN_PARAMS_SECONDS)


def _refusal(error):
    text = str(error)
    if "Unable to find deployment" in text or "deployment_id" in text:
        return LaunchRefused(
            _("This deployment of the platform is not registered here."), "deployment"
        )
    if "Registration not found" in text or "Client id not registered" in text:
        return LaunchRefused(_("This platform is not registered here."), "issuer")
    if "Signature has expired" in text:
        return LaunchRefused(
            _("The launch has expired. Start it again from your platform."), "expired"
        )
    if "Invalid Nonce" in text or "nonce" in text:
        return LaunchRefused(
            _(
                "This launch was already used or was not started here. Start it again from your platform."
            ),
            "nonce",
        )
    if "public key" in text.lower() or "decode id_token" in text or "JWT" in text:
        return LaunchRefused(_("The launch's signature could not be verified."), "signature")
    return LaunchRefused(_("The launch could not be verified."), "invalid")


def validate(request, login_url_for_state):
    """The validated launch. Raises StateCookieMissing or LaunchRefused."""
    state = request.POST.get("state", "")
    if not request.POST.get("id_token") or not state:
        raise LaunchRefused(_("The launch is incomplete."), "incomplete")
    if f"lti1p3-{state}" not in request.COOKIES:
        params = cache.get(f"lti:login:{state}")
        if params:
            raise StateCookieMissing(login_url_for_state(params))
        raise LaunchRefused(
            _(
                "This launch was already used or was not started here. Start it again from your platform."
            ),
            "state",
        )
    message_launch = DjangoMessageLaunch(
        request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage()
    )
    try:
        message_launch.validate()
    except LtiException as error:
        logger.info("LTI launch refused: %s", error)
        raise _refusal(error) from error
    launch = LtiLaunch(message_launch)
    if not launch.is_resource_launch and not launch.is_deep_link_launch:
        raise LaunchRefused(_("This kind of launch is not supported."), "message_type")
    return launch


def _name_from(claims):
    for candidate in (
        claims.get("name"),
        f"{claims.get('family_name', '')}{claims.get('given_name', '')}",
        f"{claims.get('given_name', '')} {claims.get('family_name', '')}".strip(),
    ):
        candidate = (candidate or "").strip()[:40]
        try:
            validate_real_name(candidate)
        except ValidationError:
            continue
        return candidate
    return ""


def _username(registration, sub):
    digest = hashlib.sha256(f"{registration.pk}:{sub}".encode()).hexdigest()[:20]
    return f"lti-{digest}"


@transaction.atomic
def accept(launch):
    """Records the nonce (with the token's expiry, after which it may be pruned) and returns
    the launching person's account (``account_for``)."""
    claims = launch.get_launch_data()
    try:
        with transaction.atomic():
            UsedNonce.objects.create(
                issuer=claims["iss"],
                nonce=claims["nonce"],
                expires_at=datetime.fromtimestamp(int(claims["exp"]), tz=UTC),
            )
    except IntegrityError as error:
        raise LaunchRefused(
            _(
                "This launch was already used or was not started here. Start it again from your platform."
            ),
            "nonce",
        ) from error
    sync_data_from_launch(launch)
    lti_user = LtiUser.objects.select_for_update().get(
        registration=launch.registration, sub=claims["sub"]
    )
    return account_for(lti_user, claims)


def account_for(lti_user, claims):
    """The account of the platform's person ``lti_user`` (locked by the caller), made on
    first need: scoped to the platform (registration and ``sub``), named from ``claims``,
    with no usable password and no staff rights; its e-mail is left empty because a
    platform's address is not verified here."""
    account = PlatformAccount.objects.filter(lti_user=lti_user).select_related("user").first()
    if account is not None:
        user = account.user
    else:
        user = get_user_model()(
            username=_username(lti_user.registration, lti_user.sub),
            real_name=_name_from(claims),
            is_staff=False,
            is_superuser=False,
        )
        user.set_unusable_password()
        user.save()
        PlatformAccount.objects.create(user=user, lti_user=lti_user)
    if lti_user.auth_user_id != user.pk:
        lti_user.auth_user = user
        lti_user.save(update_fields=["auth_user"])
    return user


def target_page(launch):
    """The live course or quiz the resource link names: the ``page`` custom parameter set
    by deep linking, or else the target link if it is one of our course or quiz pages.
    None when it names nothing of ours (never a redirect to an address from the token)."""
    custom = launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/custom") or {}
    pages = Page.objects.live().type(CoursePage, QuizPage)
    page_id = str(custom.get(CUSTOM_PAGE, "")).strip()
    if page_id.isdigit():
        page = pages.filter(pk=int(page_id)).first()
        if page is not None:
            return page.specific
    target = launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/target_link_uri") or ""
    path = urlparse(target).path
    if len(path) < 2:
        return None
    for page in pages.filter(url_path__endswith=path.rstrip("/") + "/").specific():
        url = page.full_url
        if url and target.rstrip("/") == url.rstrip("/"):
            return page
    return None
