"""Deep linking: a teacher in the platform picks one of our courses or quizzes and the
choice goes back to the platform in a JWT signed with our key.

The picker works without cookies (it may be inside the platform's iframe with third-party
cookies blocked): its form carries the launch id signed by us, which is also what stops a
forged submission, in place of the CSRF cookie.
"""

from django.core import signing
from django.shortcuts import render
from django.urls import reverse
from lti_tool.models import LtiLaunch
from pylti1p3.contrib.django import DjangoCacheDataStorage, DjangoMessageLaunch
from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.exception import LtiException
from pylti1p3.lineitem import LineItem
from wagtail.models import Page

from courses.models import CoursePage, QuizPage
from lti.launch import CUSTOM_PAGE
from lti.tool import ToolConfig

SALT = "lti.deep_linking"
MAX_AGE = 30 * 60  # a teacher has half an hour to choose
TEACHING_ROLES = ("#Instructor", "#ContentDeveloper", "#Administrator", "#Mentor")


def is_teacher(launch):
    roles = launch.get_claim("https://purl.imsglobal.org/spec/lti/claim/roles") or []
    return any(role.endswith(TEACHING_ROLES) for role in roles)


def start(request, launch):
    token = signing.dumps(launch.get_launch_id(), salt=SALT)
    return render(
        request,
        "lti/deep_link_picker.html",
        {
            "pages": [(page, isinstance(page, QuizPage)) for page in catalog()],
            "token": token,
            "action": reverse("lti:deep_link"),
        },
    )


def catalog():
    return Page.objects.live().type(CoursePage, QuizPage).specific().order_by("path")


def restore(request, token):
    """The launch a picker's token names, as validated and cached at launch; None if the
    token is forged, stale, or its launch has left the cache."""
    try:
        launch_id = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    try:
        message = DjangoMessageLaunch.from_cache(
            launch_id, request, ToolConfig(), launch_data_storage=DjangoCacheDataStorage()
        )
    except LtiException:
        return None
    launch = LtiLaunch(message)
    return launch if launch.is_deep_link_launch else None


def response_for(request, launch, page):
    """The signed LtiDeepLinkingResponse naming ``page`` and where to post it."""
    resource = (
        DeepLinkResource()
        .set_url(request.build_absolute_uri(reverse("lti:launch")))
        .set_title(page.title)
        .set_custom_params({CUSTOM_PAGE: str(page.pk)})
        .set_lineitem(
            LineItem()
            .set_score_maximum(100)
            .set_label(page.title)
            .set_resource_id(f"page-{page.pk}")
        )
    )
    deep_link = launch.get_message_launch().get_deep_link()
    jwt = deep_link.get_response_jwt([resource])
    settings = launch.get_claim(
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    )
    return jwt, settings["deep_link_return_url"]
