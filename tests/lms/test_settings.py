"""Settings: production refuses to start without its secrets and passes `check --deploy` with them;
the real PostgreSQL and Redis are used when configured."""

import base64
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_ENV": "production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "learn.example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(50)}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    env = {**env, **_extra_production_env(Path())}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set in production" in result.stderr


def test_production_passes_the_deploy_check_with_its_secrets(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="learn.example.org",
        **_extra_production_env(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _extra_production_env(tmp_path: Path) -> dict[str, str]:
    """Other secrets production needs, made up for this check: the certificate signing key (an Ed25519 seed) and
    the field practice's encryption key (a Fernet key)."""
    return {
        "CERTIFICATES_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "PRACTICE_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
    }


def test_production_settings_are_strict():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_PROXY_SSL_HEADER,"
        " s.LMS_REQUIRE_STAFF_MFA)",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="learn.example.org",
        **_extra_production_env(Path()),
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "False True True True True ('HTTP_X_FORWARDED_PROTO', 'https') True"
    ), result.stderr


@pytest.mark.parametrize("backend", [{}, {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}])
def test_a_mail_server_that_never_answers_fails_the_send_instead_of_holding_up_the_worker(backend):
    """A request that sends mail holds its gunicorn worker; a silent server must not hold it forever,
    whether SMTP is production's default or named in EMAIL_BACKEND."""
    with socket.socket() as silent:  # accepts connections (the kernel's backlog) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        started = time.monotonic()
        result = manage(
            "shell",
            "-c",
            "from django.core.mail import send_mail; send_mail('s', 'b', 'a@example.org', ['b@example.org'])",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="learn.example.org",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(silent.getsockname()[1]),
            EMAIL_TIMEOUT="1",
            **backend,
            **_extra_production_env(Path()),
        )
    assert result.returncode != 0
    assert "TimeoutError" in result.stderr or "timed out" in result.stderr
    assert time.monotonic() - started < 60  # the shell's start-up included; without a timeout it never returns


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_suite_runs_on_postgresql_when_database_url_is_set():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("select version()")
        assert cursor.fetchone()[0].startswith("PostgreSQL")


@pytest.mark.redis
async def test_a_message_crosses_two_redis_channel_layer_instances():
    from channels_redis.core import RedisChannelLayer

    config = settings.CHANNEL_LAYERS["default"]["CONFIG"]
    prefix = f"test-{secrets.token_hex(4)}"
    sender = RedisChannelLayer(hosts=config["hosts"], prefix=prefix)
    receiver = RedisChannelLayer(hosts=config["hosts"], prefix=prefix)
    try:
        channel = await receiver.new_channel()
        await receiver.group_add("room-1", channel)
        await sender.group_send("room-1", {"type": "room.event", "text": "hello from another worker"})
        message = await receiver.receive(channel)
        assert message == {"type": "room.event", "text": "hello from another worker"}
    finally:
        await receiver.flush()
        await sender.close_pools()
        await receiver.close_pools()


def test_production_refuses_to_start_without_the_certificate_signing_key():
    env = {**_extra_production_env(Path()), "CERTIFICATES_SIGNING_KEY": ""}
    result = manage("check", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="learn.example.org", **env)
    assert result.returncode != 0
    assert "certificates.E001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("redis_url", "engine"),
    [("", "lms.sessions"), ("redis://127.0.0.1:6379/0", "django.contrib.sessions.backends.cached_db")],
)
def test_sessions_are_cached_only_in_a_cache_every_worker_shares(redis_url, engine):
    """A per-process cache would keep a signed-out session alive in the other workers' copies."""
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.SESSION_ENGINE)",
        DJANGO_ENV="dev", REDIS_URL=redis_url,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == engine, result.stderr


@pytest.mark.redis
def test_sites_sharing_one_redis_keep_their_cache_keys_apart_with_a_prefix():
    """Rate limits count per user id and per address, and every site has a user 1 and a 127.0.0.1."""
    key = f"test-shared-key-{secrets.token_hex(4)}"

    def shell(prefix: str, code: str) -> str:
        result = manage(
            "shell", "-c", f"from django.core.cache import cache; {code}",
            DJANGO_ENV="dev", REDIS_URL=os.environ["REDIS_URL"], CACHE_KEY_PREFIX=prefix,
        )  # fmt: skip
        return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr

    assert shell("site-a", f"cache.set('{key}', 'counted on site a', 60); print(cache.get('{key}'))") == (
        "counted on site a"
    )
    assert shell("site-b", f"print(cache.get('{key}'))") == "None"
    assert shell("site-a", f"print(cache.get('{key}')); cache.delete('{key}')") == "counted on site a"
