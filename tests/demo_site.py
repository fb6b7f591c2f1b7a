"""The demo site on a fresh database, served by the real ASGI server: for browser tests and benchmarks."""

import contextlib
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def fresh_database_url():
    """A new, empty database of the configured kind (PostgreSQL when DATABASE_URL says so, else SQLite)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        with tempfile.TemporaryDirectory(prefix="lms-demo-") as folder:
            yield f"sqlite:///{Path(folder) / 'db.sqlite3'}"
        return
    import psycopg

    name = f"lms_demo_{uuid.uuid4().hex[:8]}"
    server_url = base.rsplit("/", 1)[0]
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server_url}/{name}"
    finally:
        with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def session_cookie(env: dict, username: str) -> str:
    """A logged-in session for a demo user, made on the server's database (for tools that cannot log in)."""
    code = (
        "from django.contrib.auth import get_user_model, SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY;"
        "from importlib import import_module; from django.conf import settings;"
        f"u = get_user_model().objects.get(username={username!r});"
        "s = import_module(settings.SESSION_ENGINE).SessionStore();"
        "s[SESSION_KEY] = str(u.pk); s[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0];"
        "s[HASH_SESSION_KEY] = u.get_session_auth_hash(); s.create(); print(s.session_key)"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


@contextlib.contextmanager
def demo_server(*, settings_module: str = "lms.settings.dev", server: str = "daphne"):
    """Migrate a fresh database, load the demo, serve it; yields (Process, env)."""
    from tests.servers import start_asgi

    with fresh_database_url() as database_url, tempfile.TemporaryDirectory(prefix="lms-media-") as media:
        env = {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(Path(media) / "public"),
            "PRIVATE_MEDIA_ROOT": str(Path(media) / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            # With REDIS_URL, a fresh key space as well as a fresh database: the demo's users have the same ids on
            # every server, and the rate limits counted for the last server's learner (5 questions a minute) or
            # for 127.0.0.1 must not refuse this one's.
            "CACHE_KEY_PREFIX": f"demo-{uuid.uuid4().hex[:12]}",
            "CHANNEL_LAYER_PREFIX": f"demo-{uuid.uuid4().hex[:12]}",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        with start_asgi(env=env, server=server) as process:
            yield process, env
