"""The settings read the environment as the README says; production values pass
Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "k7#Qz!v2@Lr9$Wm4^Tp8&Yx1*Nb6(Hs3)Jd5_Fg0+Ce7=Ua2-Oi9",
    "ALLOWED_HOSTS": "portal.nttprov.go.id",
    "CSRF_TRUSTED_ORIGINS": "https://portal.nttprov.go.id",
    "SECURE_SSL": "1",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/9",
    # Sealed bids refuse to work without a master key; `check --deploy` warns (eprocurement.W001).
    "SEALING_MASTER_KEY": "kGipLryZft-JSW9e0-d9_PJ23Nv9AaCutABQw0WhzTk=",
}
SHOW = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'engine': s.DATABASES['default']['ENGINE'], 'options': s.DATABASES['default'].get('OPTIONS', {}),"
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'cache': s.CACHES['default']['BACKEND'],"
    "'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ, 'lang': s.LANGUAGE_CODE, 'langs': [c for c, _ in s.LANGUAGES],"
    "'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], 'email': s.EMAIL_BACKEND}))"
)


def _manage(*args, env_overrides, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", PORTAL_VAR_DIR=str(tmp_path), **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_production_values_pass_the_deploy_check(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_secret_key_is_required_to_serve_when_debug_is_off(tmp_path):
    # gunicorn loads config.wsgi: it refuses to start; the deploy check says why
    serve = _manage("shell", "-c", "import config.wsgi", env_overrides={"DEBUG": "0"}, tmp_path=tmp_path)
    deploy = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={"DEBUG": "0"}, tmp_path=tmp_path)
    assert serve.returncode != 0 and "SECRET_KEY must be set whenever DEBUG is off" in serve.stderr
    assert deploy.returncode != 0 and "SECRET_KEY" in deploy.stderr


def test_tooling_runs_without_a_secret_key(tmp_path):
    result = _manage("makemigrations", "--check", "--dry-run", env_overrides={"DEBUG": "0"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_embedded_default_is_sqlite_in_wal_with_immediate_transactions_and_eager_tasks(tmp_path):
    result = _manage("shell", "-v", "0", "-c", SHOW, env_overrides={"DEBUG": "1"}, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.sqlite3"
    assert shown["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in shown["options"]["init_command"]
    assert shown["eager"] is True
    assert shown["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert (shown["tz"], shown["use_tz"], shown["lang"], shown["langs"]) == ("Asia/Makassar", True, "id", ["id", "en"])


def test_full_stack_reads_database_and_redis_urls(tmp_path):
    overrides = {**PRODUCTION, "CONN_MAX_AGE": "120"}
    result = _manage("shell", "-v", "0", "-c", SHOW, env_overrides=overrides, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["engine"] == "django.db.backends.postgresql"
    assert shown["eager"] is False
    assert shown["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shown["conn_max_age"] == 120


@pytest.mark.parametrize("url", ["smtp+tls://user:secret@mail.example.org:587"])
def test_email_url_configures_smtp(tmp_path, url):
    show = "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS)"
    result = _manage("shell", "-v", "0", "-c", show, env_overrides={"DEBUG": "1", "EMAIL_URL": url}, tmp_path=tmp_path)
    assert result.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "mail.example.org", "587", "True"]


def test_uploaded_files_are_not_served_from_media_even_in_debug(tmp_path):
    show = "from django.urls import resolve; import sys; resolve('/media/vendors/2026/akta.pdf')"
    result = _manage("shell", "-v", "0", "-c", show, env_overrides={"DEBUG": "1"}, tmp_path=tmp_path)
    assert "Resolver404" in result.stderr
