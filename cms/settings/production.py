"""Production settings: everything secret or machine-specific comes from the environment,
and the process refuses to start without it."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, SECRET_KEY, env_bool, os, tasks_setting, trusted_proxy_count

DEBUG = False
if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random string of 50 characters or more."
    )
if not os.environ.get("ALLOWED_HOSTS"):
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the hosts this site answers to.")

if not os.environ.get("CERTIFICATE_SIGNING_KEY") and not os.environ.get(
    "CERTIFICATE_SIGNING_KEY_FILE"
):
    raise ImproperlyConfigured(
        "CERTIFICATE_SIGNING_KEY (an Ed25519 private key in PEM) or CERTIFICATE_SIGNING_KEY_FILE "
        "must be set: credentials signed with a key that is lost can no longer be verified."
    )

# Work that can take long (a ZIP of a thousand certificates) must not hold a web worker:
# it is queued in the database for `manage.py db_worker`.
TASKS = tasks_setting("database")

# The runbook puts nginx in front (docs/operations.md): the client's address is the one it
# appends to X-Forwarded-For, for every rate limit. Set to the number of proxies otherwise.
TRUSTED_PROXY_COUNT = trusted_proxy_count(1)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

# Keep database connections between requests: opening a PostgreSQL connection forks a
# backend process, which at exam-start load cost more CPU than the queries themselves
# (bench/quiz_load.py). Health checks drop a connection that died while idle.
DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("DB_CONN_MAX_AGE", "60"))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
