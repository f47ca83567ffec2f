"""Production settings: everything secret or machine-specific comes from the environment,
and the process refuses to start without it."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DATABASES,
    EMAIL_BACKEND,
    PAGE_CACHE_SECONDS,
    REDIS_URL,
    SECRET_KEY,
    SITE_GENERATION_FILE,
    SITE_STATE_IN_MEMORY,
    Path,
    env_bool,
    os,
    tasks_setting,
    trusted_proxy_count,
)

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
if (
    not os.environ.get("CERTIFICATE_SIGNING_KEY")
    and not Path(os.environ["CERTIFICATE_SIGNING_KEY_FILE"]).is_file()
):
    # Otherwise the first certificate would quietly create a new key there, and every
    # credential signed by the key that was meant would stop verifying.
    raise ImproperlyConfigured(
        f"CERTIFICATE_SIGNING_KEY_FILE points at {os.environ['CERTIFICATE_SIGNING_KEY_FILE']!r}, "
        "which is not a file: set it to the path of the Ed25519 private key (PEM), or set "
        "CERTIFICATE_SIGNING_KEY to the key itself."
    )

# Backends that deliver nothing: sign-up verification and password resets would never arrive.
if EMAIL_BACKEND in {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND is {EMAIL_BACKEND!r}, which sends no mail: set EMAIL_BACKEND to "
        "django.core.mail.backends.smtp.EmailBackend (with EMAIL_HOST, EMAIL_PORT, "
        "EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS) or another delivering backend."
    )

# Both keep state in each process, correct only while every process learns of a change:
# through Redis or the generation file (by default beside a SQLite database). PostgreSQL
# without Redis has neither, and one process would serve a page another has unpublished.
if not (REDIS_URL or SITE_GENERATION_FILE) and (PAGE_CACHE_SECONDS > 0 or SITE_STATE_IN_MEMORY):
    raise ImproperlyConfigured(
        "PAGE_CACHE_SECONDS > 0 and SITE_STATE_IN_MEMORY=1 need a generation every process "
        "can read: set REDIS_URL (redis://host:6379/0), or SITE_GENERATION_FILE to a file "
        "every process of this site can write (only when they all run on one machine), or "
        "set PAGE_CACHE_SECONDS=0 and SITE_STATE_IN_MEMORY=0."
    )

# `manage.py bootstrap --demo` creates accounts whose password is published in the README.
BOOTSTRAP_DEMO_ALLOWED = False

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
