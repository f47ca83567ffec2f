import os
import subprocess
import sys

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
