"""Browser journeys: the real ASGI server (daphne) in a subprocess on a fresh database with the demo
content, driven by Playwright in Debian's Chromium. Every test here is marked `browser`."""

import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from conftest import CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORDS = {"learner": "learner-demo-pass", "trainer": "trainer-demo-pass", "certifier": "certifier-demo-pass"}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))


def _fresh_database_url() -> tuple[str, callable]:
    """A new, empty database of the configured kind (PostgreSQL when DATABASE_URL says so, else SQLite)."""
    base = os.environ.get("DATABASE_URL", "")
    if base.startswith("postgres"):
        import psycopg

        name = f"lms_browser_{uuid.uuid4().hex[:8]}"
        admin_url = base.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return base.rsplit("/", 1)[0] + "/" + name, drop
    path = Path(tempfile.mkdtemp(prefix="lms-browser-")) / "db.sqlite3"
    return f"sqlite:///{path}", lambda: None


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """The demo site served by daphne; yields the server Process (`.url`, `.output()`)."""
    from tests.servers import start_asgi

    if not (os.path.exists(CHROMIUM)):
        pytest.skip("needs Debian's Chromium")
    database_url, drop = _fresh_database_url()
    media = tmp_path_factory.mktemp("media")
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media / "public"),
        "PRIVATE_MEDIA_ROOT": str(media / "private"),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    full_env = {**os.environ, **env}
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=full_env, check=True, capture_output=True)
    server = start_asgi(env=env)
    try:
        yield server
    finally:
        server.stop()
        drop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser, demo_server):
    """Make browser contexts (one per person); all are closed after the test. Requests to any other origin fail
    the test: the platform must never load anything from elsewhere."""
    contexts = []
    foreign = []

    def make(*, width: int = 360, height: int = 800, locale: str = "en-US"):
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale=locale, base_url=demo_server.url
        )
        context.set_default_timeout(15_000)

        def guard(route):
            if route.request.url.startswith(demo_server.url) or route.request.url.startswith(demo_server.ws_url):
                route.continue_()
            else:
                foreign.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not foreign, f"requests left the server's origin: {foreign}"


def log_in(page, username: str, password: str | None = None, *, prefix: str = "") -> None:
    page.goto(f"{prefix}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password or DEMO_PASSWORDS[username])
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
