import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL, STORAGES, os

SECRET_KEY = "test-only-key"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "accounts.hashers.InitialPasswordHasher",
]
# Tests of the two-factor rule turn it on; other admin tests sign staff in directly.
STAFF_TWO_FACTOR_REQUIRED = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Tests that change pages without publishing them expect to see the change; the page cache's
# own tests turn it on.
PAGE_CACHE_SECONDS = 0
# A test's changes are rolled back without a new generation; the tests of the kept site
# state turn it on.
SITE_STATE_IN_MEMORY = False

# Issued PDFs, exports and the signing key of a test run live in a directory of its own.
_TEST_FILES = Path(tempfile.mkdtemp(prefix="qa-test-"))
STORAGES["certificates"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(_TEST_FILES / "certificates"), "base_url": None},
}
CERTIFICATE_SIGNING_KEY_FILE = _TEST_FILES / "signing-key.pem"
# Without Redis, the site's generation is a file of this run's own (serving/generation.py).
SITE_GENERATION_FILE = "" if REDIS_URL else str(_TEST_FILES / "generation")

# Parallel test workers share one Redis; each keeps to its own keys.
if "KEY_PREFIX" in CACHES["default"]:
    CACHES["default"]["KEY_PREFIX"] = (
        f"qa-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    )
# Unpacked SCORM and H5P packages of a test run.
COURSEWARE_ROOT = _TEST_FILES / "courseware"
