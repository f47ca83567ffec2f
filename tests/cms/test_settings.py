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
    # A value of None removes the variable: the suite itself may run with DATABASE_URL set.
    for key, value in env_extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
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
    "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
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


def read_settings(env_extra, *names):
    code = "from django.conf import settings; " + "; ".join(
        f"print('SETTING', settings.{name})" for name in names
    )
    result = run_manage("shell", "-c", code, env_extra=env_extra)
    assert result.returncode == 0, result.stderr
    return [line.split()[1] for line in result.stdout.splitlines() if line.startswith("SETTING ")]


def test_with_redis_production_keeps_cache_sessions_and_page_cache_there():
    env = {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/3"}
    backend, sessions, page_seconds = read_settings(
        env, 'CACHES["default"]["BACKEND"]', "SESSION_ENGINE", "PAGE_CACHE_SECONDS"
    )
    assert backend == "serving.rediscache.RedisCache"
    assert sessions == "django.contrib.sessions.backends.cached_db"
    assert page_seconds == "300"


def test_the_default_install_keeps_pages_under_a_generation_file_beside_its_database():
    """SQLite without Redis: every process reads the generation from a file beside the
    database, so the page cache and the kept site state are on (they were off before)."""
    env = {**PRODUCTION, "REDIS_URL": "", "DATABASE_URL": None}
    sessions, page_seconds, kept, generation_file = read_settings(
        env, "SESSION_ENGINE", "PAGE_CACHE_SECONDS", "SITE_STATE_IN_MEMORY", "SITE_GENERATION_FILE"
    )
    assert sessions == "django.contrib.sessions.backends.db"
    assert page_seconds == "300" and kept == "True"
    assert generation_file == str(settings.BASE_DIR / "db.sqlite3-generation")


def test_postgresql_without_redis_keeps_nothing_between_requests():
    # Its processes may run on several machines, which no file would reach.
    env = {**PRODUCTION, "REDIS_URL": "", "DATABASE_URL": "postgres://postgres@127.0.0.1/qa_x"}
    page_seconds, kept = read_settings(env, "PAGE_CACHE_SECONDS", "SITE_STATE_IN_MEMORY")
    assert page_seconds == "0" and kept == "False"


def test_production_refuses_an_e_mail_backend_that_sends_nothing():
    for backend in ("", "django.core.mail.backends.console.EmailBackend"):
        env = {**PRODUCTION, "EMAIL_BACKEND": backend}
        if not backend:
            del env["EMAIL_BACKEND"]
        result = run_manage("check", env_extra=env)
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "sends no mail: set EMAIL_BACKEND" in result.stderr


def test_production_refuses_a_signing_key_file_that_is_not_there(tmp_path):
    missing = tmp_path / "nowhere" / "signing-key.pem"
    env = {
        **PRODUCTION,
        "CERTIFICATE_SIGNING_KEY": "",
        "CERTIFICATE_SIGNING_KEY_FILE": str(missing),
    }
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert f"CERTIFICATE_SIGNING_KEY_FILE points at {str(missing)!r}" in result.stderr
    assert not missing.exists()  # nothing was made up in its place

    key = tmp_path / "signing-key.pem"
    key.write_text(SIGNING_KEY)
    result = run_manage("check", env_extra={**env, "CERTIFICATE_SIGNING_KEY_FILE": str(key)})
    assert result.returncode == 0, result.stderr


def test_production_refuses_a_page_cache_or_site_state_no_process_could_keep_correct():
    postgres = {**PRODUCTION, "REDIS_URL": "", "DATABASE_URL": "postgres://postgres@127.0.0.1/qa_x"}
    for extra in ({"PAGE_CACHE_SECONDS": "300"}, {"SITE_STATE_IN_MEMORY": "1"}):
        result = run_manage("check", env_extra={**postgres, **extra})
        assert result.returncode != 0
        assert "need a generation every process can read" in result.stderr


def test_bootstrap_demo_is_refused_with_production_settings(tmp_path):
    database = f"sqlite:///{tmp_path / 'production.sqlite3'}"
    result = run_manage("bootstrap", "--demo", env_extra={**PRODUCTION, "DATABASE_URL": database})
    assert result.returncode != 0
    assert "--demo is refused with these settings" in result.stderr
    # Refused before anything was done: not even the database was created.
    assert not (tmp_path / "production.sqlite3").exists()
