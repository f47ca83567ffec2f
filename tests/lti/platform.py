"""An LTI 1.3 platform for the tests, built on lti1p3platform (an implementation separate
from the PyLTI1p3 our tool uses): its own RSA key signs the id_tokens, its key set is
served over HTTP from a thread, and it verifies our deep-linking JWT against our published
key set, fetched from the live server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import RequestBase

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
    def __init__(self, params):
        self.request = {
            "method": "GET",
            "form_data": {},
            "get_data": params,
            "headers": {},
            "content_type": None,
            "path": "/auth",
            "json": None,
        }


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

            def do_GET(self):
                if self.path == "/jwks":
                    return self._json(200, {"keys": platform.registration.get_jwks()})
                return self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                if self.path == "/deep-link-return":
                    platform.deep_link_posts.append(parse_qs(body))
                    return self._json(200, {})
                return self._json(404, {})

        return Handler
