"""An LTI 1.3 platform for the tests, built on lti1p3platform (an implementation separate
from the PyLTI1p3 our tool uses): its own RSA key signs the id_tokens, its key set is
served over HTTP from a thread, and it verifies our deep-linking JWT against our published
key set, fetched from the live server.

lti1p3platform gives the platform's side of the services as classes to fill in, not as a
server: its token endpoint logic (``get_access_token`` checks our client-credentials JWT
against the key set we publish), and its Assignment and Grade Services and Names and Role
Provisioning handlers (each checks the bearer token it issued). The small HTTP server here
routes requests to them and keeps line items, scores and the roster in memory."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.exceptions import LineItemNotFoundException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.membership import Context
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import RequestBase
from lti1p3platform.score import UpdateScoreStatus
from lti1p3platform.service_connector import (
    AssignmentsGradesService,
    NamesRoleProvisioningService,
)

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def new_rsa_pem_pair():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, registration):
        self._registration = registration

    def get_registration_by_params(self, **kwargs):
        return self._registration


class _Request(RequestBase):
    def __init__(self, params, method="GET", headers=None, body=None, path="/auth"):
        self.request = {
            "method": method,
            "form_data": {},
            "get_data": params,
            "headers": headers or {},
            "content_type": None,
            "path": path,
            "json": body,
        }


class _Grades(AssignmentsGradesService):
    """The platform's gradebook: line items and the scores posted to them."""

    def __init__(self, request, platform):
        super().__init__(
            request, _Config(registration=platform.registration), platform.lineitems_url
        )
        self.platform = platform

    def find_lineitems(self, page=1, limit=None, **filters):
        return {"content": list(self.platform.lineitems.values()), "has_next": False}

    def find_lineitem(self, line_item_id):
        if line_item_id not in self.platform.lineitems:
            raise LineItemNotFoundException("no such line item")
        return self.platform.lineitems[line_item_id]

    def create_lineitem(self, creation_data):
        return self.platform.add_lineitem(**creation_data)

    def update_lineitem(self, update_data):
        raise NotImplementedError

    def delete_lineitem(self, line_item_id):
        raise NotImplementedError

    def update_score(self, line_item_id, score):
        self.find_lineitem(line_item_id)
        self.platform.scores.append((line_item_id, score))
        return UpdateScoreStatus.SUCCESS

    def get_results(self, line_item_id, page=1, limit=None, user_id=None):
        raise NotImplementedError


class _Roster(NamesRoleProvisioningService):
    def __init__(self, request, platform):
        super().__init__(
            request, _Config(registration=platform.registration), platform.memberships_url
        )
        self.platform = platform

    def get_member_data_page(self, page=1, limit=None, role=None, since=None):
        return {"content": [dict(member) for member in self.platform.members], "has_next": False}

    def get_context_by_id(self):
        return Context(id="context-1", label="QC", title="Quality class")


class _Launch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


class Platform:
    """One platform: ``issuer`` (its address), ``client_id`` and ``deployment_id`` it gave
    our tool, its keys, and an HTTP server for its key set and deep-linking return."""

    def __init__(self, tool_base_url, issuer=None, client_id="qa-tool", deployment_id="dep-1"):
        self.private_key, self.public_key = new_rsa_pem_pair()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.issuer = issuer or self.url
        self.client_id = client_id
        self.deployment_id = deployment_id
        self.tool_base_url = tool_base_url
        self.deep_link_posts = []
        self.lineitems = {}  # id (its address) -> line item
        self.scores = []  # (line item id, score) as received
        self.members = []  # the course's roster, as NRPS members
        self.down = False  # when set, every service and the token endpoint answer 503
        self.token_requests = 0
        self.registration = (
            Registration()
            .set_iss(self.issuer)
            .set_client_id(client_id)
            .set_deployment_id(deployment_id)
            .set_launch_url(f"{tool_base_url}/lti/launch/")
            .set_deeplink_launch_url(f"{tool_base_url}/lti/launch/")
            .set_oidc_login_url(f"{tool_base_url}/lti/login/")
            .set_platform_public_key(self.public_key)
            .set_platform_private_key(self.private_key)
            .set_tool_key_set_url(f"{tool_base_url}/lti/jwks.json")
        )
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    @property
    def keyset_url(self):
        return f"{self.url}/jwks"

    @property
    def auth_url(self):
        return f"{self.url}/auth"

    @property
    def token_url(self):
        return f"{self.url}/token"

    @property
    def lineitems_url(self):
        return f"{self.url}/lineitems"

    @property
    def memberships_url(self):
        return f"{self.url}/memberships"

    def add_lineitem(self, **data):
        line_id = f"{self.lineitems_url}/{len(self.lineitems) + 1}"
        self.lineitems[line_id] = {**data, "id": line_id}
        return self.lineitems[line_id]

    def login_params(self, target_link_uri, login_hint="user-1"):
        """What the platform sends the tool to start a launch (third-party login)."""
        return {
            "iss": self.issuer,
            "login_hint": login_hint,
            "target_link_uri": target_link_uri,
            "client_id": self.client_id,
            "lti_deployment_id": self.deployment_id,
        }

    def id_token_for(
        self,
        auth_request,
        user,
        target_link_uri,
        roles=(LEARNER,),
        custom=None,
        deep_link=False,
        expiration=300,
        signing_key=None,
        ags=None,
        nrps=False,
    ):
        """The platform's answer to our authentication request: the form it posts to our
        redirect_uri, with an id_token signed by its key (or by ``signing_key``)."""
        params = {key: values[0] for key, values in parse_qs(urlsplit(auth_request).query).items()}
        launch = _Launch(_Request(params), _Config(registration=self.registration))
        launch.set_launch_url(target_link_uri)
        launch.set_user_data(user["sub"], list(roles), full_name=user.get("name"))
        launch.set_resource_link_claim("link-1", title="Course link")
        launch.set_launch_context_claim("context-1", context_title="Quality class")
        if custom:
            launch.set_custom_parameters_claim(custom)
        if ags == "lineitems":
            launch.set_ags(self.lineitems_url, None, allow_creating_lineitems=True)
        elif ags:
            launch.set_ags(self.lineitems_url, ags, allow_creating_lineitems=True)
        if nrps:
            launch.set_nrps(self.memberships_url)
        if deep_link:
            launch.set_dl(f"{self.url}/deep-link-return", title="Pick")
        launch.set_id_token_expiration(expiration)
        if signing_key is not None:
            original = self.registration.get_platform_private_key()
            self.registration.set_platform_private_key(signing_key)
        try:
            form = launch.lti_launch()
        finally:
            if signing_key is not None:
                self.registration.set_platform_private_key(original)
        return form

    def verify_deep_link(self, jwt_value):
        """The platform's own check of our deep-linking response: signature against the key
        set our live server publishes, then the message type and content items."""
        config = _Config(registration=self.registration)
        items = config.validate_deeplinking_resp({"JWT": jwt_value})
        return items, config._jwt["body"]

    def _handler(self):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _service(self, method, body=None):
                """A request for lti1p3platform's AGS or NRPS handlers."""
                parts = urlsplit(self.path)
                query = {key: values[0] for key, values in parse_qs(parts.query).items()}
                request = _Request(
                    query,
                    method,
                    {"Authorization": self.headers.get("Authorization", "")},
                    body,
                    parts.path,
                )
                path = parts.path.rstrip("/")
                grades = _Grades(request, platform)
                if path == "/memberships" and method == "GET":
                    return _Roster(request, platform).handle_get_members()
                if path == "/lineitems":
                    if method == "GET":
                        return grades.handle_get_lineitems()
                    return grades.handle_create_lineitem()
                if path.startswith("/lineitems/") and path.endswith("/scores"):
                    line_id = platform.url + path.removesuffix("/scores")
                    return grades.handle_update_score(line_id)
                if path.startswith("/lineitems/"):
                    return grades.handle_get_lineitem(platform.url + path)
                return None

            def _answer(self, response):
                if response is None:
                    return self._json(404, {})
                result = response.result
                if isinstance(result, dict) and "content" in result:
                    result = result["content"]  # a page of line items is a JSON list
                data = json.dumps(result if result is not None else {}, default=str).encode()
                self.send_response(response.code)
                self.send_header("Content-Type", response.media_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    return self._json(200, {"keys": platform.registration.get_jwks()})
                if platform.down:
                    return self._json(503, {"error": "down for maintenance"})
                return self._answer(self._service("GET"))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if self.path == "/deep-link-return":
                    platform.deep_link_posts.append(parse_qs(body))
                    return self._json(200, {})
                if platform.down:
                    return self._json(503, {"error": "down for maintenance"})
                if self.path == "/token":
                    platform.token_requests += 1
                    form = {key: values[0] for key, values in parse_qs(body).items()}
                    try:
                        token = _Config(registration=platform.registration).get_access_token(form)
                    except Exception as error:  # any refusal is the client's fault here
                        return self._json(400, {"error": "invalid_client", "detail": str(error)})
                    return self._json(200, token)
                return self._answer(self._service("POST", json.loads(body or "null")))

        return Handler
