"""Settings shared by every environment; each value that differs between machines comes
from the environment so one code base runs on a laptop, in CI and in production."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .storage import storages_setting

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "accounts",
    "courses",
    # Before certificates: its receiver of course_completed then runs first, and a course's
    # "completed" statement precedes the "earned" of the certificate issued inside it.
    "xapi",
    "classrooms",
    "certificates",
    "courseware",
    "reports",
    "training",
    "lti",
    "lti_tool",
    "api",
    "wagtail.contrib.forms",
    "cms.wagtail_apps.RedirectsConfig",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "cms.wagtail_apps.SnippetsConfig",
    "cms.wagtail_apps.DocumentsConfig",
    "cms.wagtail_apps.ImagesConfig",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "csp",
    # Django Ninja's own copy of Swagger UI, served from here: the policy below allows no CDN.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cms.middleware.SiteLanguageMiddleware",
    "serving.pagecache.AnonymousPageCacheMiddleware",
    # Inside the page cache, so a stored page keeps the header whose nonce its scripts carry.
    "cms.middleware.ContentSecurityPolicyMiddleware",
    "serving.sitestate.SiteStateMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.WorkRolesMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "accounts.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "accounts.context_processors.flags",
                "accounts.context_processors.roles",
            ],
            # serving is a library, not an app: its template tags are named here.
            "libraries": {"shared": "serving.fragments"},
        },
    },
]

# SQLite needs nothing to be set up; DATABASE_URL=postgres://... moves to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
IS_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
if IS_POSTGRES:
    # Django's, with a health check that needs no round trip while the connection is quiet.
    DATABASES["default"]["ENGINE"] = "serving.postgresql"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "serving.rediscache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "qa"),
        }
    }
    # Sessions are read from Redis and written through to the database, so a web process
    # holds no state and a Redis restart signs nobody out.
    SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.cached_db")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def generation_file_setting(databases, redis_url):
    """Where every process reads the site's generation (serving/generation.py) without Redis:
    beside the SQLite database, which lives on one machine with every process that uses it.
    With Redis the generation is kept there; PostgreSQL without Redis has no such place
    unless one is named, since its processes may run on several machines."""
    if "SITE_GENERATION_FILE" in os.environ:
        return os.environ["SITE_GENERATION_FILE"]
    database = databases["default"]
    name = str(database.get("NAME") or "")
    if redis_url or not database["ENGINE"].endswith("sqlite3") or name in {"", ":memory:"}:
        return ""
    return f"{name}-generation"


SITE_GENERATION_FILE = generation_file_setting(DATABASES, REDIS_URL)
# Every process can be told of a change: through Redis or the generation file.
_GENERATION_SHARED = bool(REDIS_URL or SITE_GENERATION_FILE)

# Site, home page, branding and page privacy kept in each process between requests
# (serving/sitestate.py), until the generation changes.
SITE_STATE_IN_MEMORY = env_bool("SITE_STATE_IN_MEMORY", _GENERATION_SHARED)

# Seconds an anonymous visitor's page is kept (serving/pagecache.py): in Redis, or in each
# process's memory under the generation every process reads from the file.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300" if _GENERATION_SHARED else "0"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "private"))
STORAGES = storages_setting(PRIVATE_MEDIA_ROOT)

# SCORM and H5P packages, unpacked once per file (courseware/storage.py). Private: never
# under MEDIA_ROOT, served only through the token-checked view at /courseware/c/.
COURSEWARE_ROOT = Path(os.environ.get("COURSEWARE_ROOT", PRIVATE_MEDIA_ROOT / "courseware"))
# What an uploaded package may be: its size, its number of files, its size unpacked and how
# many times it may expand (a zip bomb expands thousands of times; real packages, of text,
# images and video, a few times).
COURSEWARE_MAX_UPLOAD_BYTES = int(os.environ.get("COURSEWARE_MAX_UPLOAD_MB", "500")) * 1024 * 1024
COURSEWARE_MAX_UNPACKED_BYTES = (
    int(os.environ.get("COURSEWARE_MAX_UNPACKED_MB", "1024")) * 1024 * 1024
)
COURSEWARE_MAX_FILES = int(os.environ.get("COURSEWARE_MAX_FILES", "5000"))
COURSEWARE_MAX_RATIO = int(os.environ.get("COURSEWARE_MAX_RATIO", "100"))
# Documents are always served through Wagtail's view, which checks a collection's privacy on
# every download; a redirect to a bucket would hand out a link that outlives the check.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
_media = STORAGES["default"].get("OPTIONS", {})
if _media.get("custom_domain"):
    # Media links then start here; serving/pdf.py maps such a URL back to a stored file.
    MEDIA_URL = f"https://{_media['custom_domain']}/{_media['location']}".rstrip("/") + "/"

# Background tasks (certificate ZIPs, welcome e-mails) go through the django-tasks API.
# "immediate" runs them inside the request; "database" queues them in the database for
# `manage.py db_worker` processes, which production uses by default.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def tasks_setting(default):
    queue = os.environ.get("TASK_QUEUE", default)
    if queue not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASK_QUEUE must be one of {', '.join(TASK_BACKENDS)}.")
    return {"default": {"BACKEND": TASK_BACKENDS[queue]}}


TASKS = tasks_setting("immediate")

# Learning records in xAPI: always written to the outbox (xapi.Statement); forwarded to an
# external learning record store only when all three of these are set (docs/xapi.md).
XAPI_ENDPOINT = os.environ.get("XAPI_ENDPOINT", "")
XAPI_KEY = os.environ.get("XAPI_KEY", "")
XAPI_SECRET = os.environ.get("XAPI_SECRET", "")
XAPI_BATCH_SIZE = int(os.environ.get("XAPI_BATCH_SIZE", "100"))
XAPI_TIMEOUT = float(os.environ.get("XAPI_TIMEOUT", "20"))
# Seconds the database queue gathers events before one forwarding task sends them.
XAPI_SEND_DELAY = int(os.environ.get("XAPI_SEND_DELAY", "10"))
# Key of the learners' opaque xAPI ids; SECRET_KEY when unset. Changing it changes every
# learner's actor id, so set it once and keep it.
XAPI_ACTOR_SECRET = os.environ.get("XAPI_ACTOR_SECRET", "")

# Ed25519 key (PEM) that signs certificate credentials: from the environment in production;
# elsewhere a key file made on first use.
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_KEY_FILE = Path(
    os.environ.get("CERTIFICATE_SIGNING_KEY_FILE", BASE_DIR / "var" / "certificate-signing-key.pem")
)
# Verification look-ups per visitor (IP) per minute. Wrong names per certificate and visitor
# per hour, and per visitor over all certificates: a stranger's guesses never use up the
# holder's or a genuine verifier's tries; the right name costs none.
CERTIFICATE_VERIFY_RATE = int(os.environ.get("CERTIFICATE_VERIFY_RATE", "30"))
CERTIFICATE_NAME_TRIES = int(os.environ.get("CERTIFICATE_NAME_TRIES", "10"))
CERTIFICATE_NAME_TRIES_PER_ADDRESS = int(os.environ.get("CERTIFICATE_NAME_TRIES_PER_ADDRESS", "30"))

# Staff and pupil spreadsheets: rows in one file, and files an organisation may upload in
# 24 hours. Bulk imports create accounts and send e-mails, so they are bounded for everyone;
# an administrator's import_organisations command is not.
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "2000"))
IMPORT_MAX_FILES_PER_DAY = int(os.environ.get("IMPORT_MAX_FILES_PER_DAY", "20"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "质量学堂 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
# The site settings certificates print (issuer's name, seal); named here because cms sits
# above certificates, which reads the model through the app registry.
SITE_BRANDING_MODEL = "cms.Branding"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, reading the signed-in user with a kept statement.
    "accounts.backends.ModelBackend",
    "accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "accounts.hashers.InitialPasswordHasher",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
WAGTAILADMIN_LOGIN_URL = "account_login"
# Pages an administrator restricts to signed-in people send visitors to the same sign-in page.
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"

# django-allauth: email sign-up with verification; pupils sign in with the username their
# teacher gave them.
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupProfileForm"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
# Every limit, allauth's included, counts the client's address (serving.ratelimit.client_ip);
# a pupil who has chosen their first password goes on to the dashboard.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_DISPLAY = "accounts.adapter.display_name"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
# Strict per account ("key"), lenient per address: a school's computer room or a factory
# behind one NAT address is one address, and 60 pupils signing in within a minute, some of
# them mistyping, must all get in (tests/accounts/test_shared_address.py). An address that
# tries password after password on account after account is still stopped.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "200/5m/ip,5/5m/key",
    "signup": "120/h/ip",
    "reset_password": "60/h/ip,5/h/key",
    "reset_password_from_key": "60/m/ip",
    "confirm_email": "1/3m/key",
}


def trusted_proxy_count(default):
    """How many reverse proxies of our own stand in front of the app, each appending to
    X-Forwarded-For: the client's address is the entry the outermost one appended."""
    value = os.environ.get("TRUSTED_PROXY_COUNT", str(default)).strip()
    if not (value.isascii() and value.isdigit()):
        raise ImproperlyConfigured(
            "TRUSTED_PROXY_COUNT must be the number of reverse proxies in front of the app "
            "(0 for none)."
        )
    return int(value)


# 0: no proxy, REMOTE_ADDR is the client (development); production trusts the runbook's nginx.
TRUSTED_PROXY_COUNT = trusted_proxy_count(0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_PASSWORD_MIN_LENGTH = 10
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "质量学堂"
# A code read off a phone just before its 30-second step ends reaches us in the next one;
# RFC 6238 §5.2 allows one step of such delay. Two steps back is refused.
MFA_TOTP_TOLERANCE = 1
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_PROVIDERS = {"weixin": {"SCOPE": ["snsapi_login"]}}
# Staff (is_staff, superusers, anyone who can open the Wagtail admin) sign in with a second
# factor before any page (accounts/middleware.py). Production keeps
# this on; the development settings relax it for the demo accounts and say so on the login page.
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)

# `manage.py bootstrap --demo` creates accounts with a published password; production
# settings turn this off (a throwaway measuring database may turn it on in its own module).
BOOTSTRAP_DEMO_ALLOWED = True

WAGTAIL_SITE_NAME = _("Quality Academy")
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "txt", "csv", "zip", "mp4", "webm"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 200 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Chinese is segmented into bigrams before it reaches the index (courses/search.py), so the
# backend only has to match whole tokens; PostgreSQL's english config stems English words.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "english"} if IS_POSTGRES else {}),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# Content-Security-Policy (django-csp 4). Scripts run only from this site or, inline, with the
# request's nonce (`nonce="{{ request.csp_nonce }}"`); no template has an inline script or an
# inline event handler, and none may. Styles allow inline: the progress bars' widths are style
# attributes and the error pages carry their own <style>, and CSS cannot run code. Images,
# video and embedded players may come over HTTPS from elsewhere: media in an S3 bucket or CDN,
# videos embedded from their host. The Wagtail admin is left out: it runs inline scripts
# and styles of its own (and its rich-text editor needs them), only staff who signed in with
# their second factor reach it, and a policy lenient enough for it would protect nothing.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https:"],
        "media-src": [SELF, "https:"],
        "frame-src": [SELF, "https:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        # WeChat sign-in leaves the site by a redirect after a form is posted.
        "form-action": [SELF, "https://open.weixin.qq.com"],
    },
}

# Requests one API key may make in a window of seconds (api/endpoints.py): a nightly sync of
# a few thousand people takes a few dozen pages, well inside it.
API_RATE_LIMIT = (
    int(os.environ.get("API_RATE_LIMIT", "120")),
    int(os.environ.get("API_RATE_WINDOW", "60")),
)
