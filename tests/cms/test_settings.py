import os
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings


def run_manage(*args, env_extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SIGNING_KEY = (
    Ed25519PrivateKey.generate()
    .private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    .decode()
)
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": "k" * 20 + "-production-secret-that-is-long-enough-0123456789",
    "ALLOWED_HOSTS": "academy.example.org",
    "CERTIFICATE_SIGNING_KEY": SIGNING_KEY,
}


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_certificate_signing_key():
    result = run_manage("check", env_extra={**PRODUCTION, "CERTIFICATE_SIGNING_KEY": ""})
    assert result.returncode != 0
    assert "CERTIFICATE_SIGNING_KEY" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_extra={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_queues_background_tasks_for_a_worker():
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    result = run_manage("shell", "-c", code, env_extra=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "django_tasks_db.DatabaseBackend"
    result = run_manage("check", env_extra={**PRODUCTION, "TASK_QUEUE": "carrier-pigeon"})
    assert result.returncode != 0 and "TASK_QUEUE" in result.stderr


S3 = {
    **PRODUCTION,
    "STORAGE_BACKEND": "s3",
    "S3_BUCKET": "academy-media",
    "S3_PRIVATE_BUCKET": "academy-private",
    "S3_ENDPOINT_URL": "https://oss-cn-shanghai.aliyuncs.com",
    "S3_REGION": "cn-shanghai",
}
SHOW_STORAGES = """
from django.conf import settings
from django.core.files.storage import storages
for alias in ("default", "certificates"):
    s = storages[alias]
    print(alias, type(s).__name__, s.bucket_name, s.location, s.default_acl,
          s.querystring_auth, s.file_overwrite, s.custom_domain, s.endpoint_url)
print(settings.MEDIA_URL)
"""


def storages_shown(**env):
    result = run_manage("shell", "-c", SHOW_STORAGES, env_extra={**S3, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-3:]


def test_storage_backend_s3_puts_media_and_private_certificates_in_buckets():
    default, certificates, media_url = storages_shown()
    endpoint = S3["S3_ENDPOINT_URL"]
    assert default == f"default S3Storage academy-media media None True False None {endpoint}"
    assert certificates == (
        f"certificates S3Storage academy-private certificates private True False None {endpoint}"
    )
    assert media_url == "/media/"


def test_a_public_media_domain_never_serves_certificates():
    default, certificates, media_url = storages_shown(
        S3_PRIVATE_BUCKET="", S3_CUSTOM_DOMAIN="media.academy.example.org"
    )
    assert " academy-media media None False False media.academy.example.org " in default
    assert " academy-media certificates private True False None " in certificates
    assert media_url == "https://media.academy.example.org/media/"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND must be one of filesystem, s3, not 'ftp'"),
        ({"S3_BUCKET": ""}, "STORAGE_BACKEND=s3 needs S3_BUCKET"),
        (
            {"S3_PRIVATE_BUCKET": "", "S3_CERTIFICATES_PREFIX": "media/certificates"},
            "must be separate, non-empty folders",
        ),
    ],
)
def test_storage_settings_that_cannot_work_stop_the_start(env, message):
    result = run_manage("check", env_extra={**S3, **env})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr
