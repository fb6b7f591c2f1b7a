"""Production's two entry points, as docs/deploy.md runs them: gunicorn with the project's gunicorn.conf.py serves
the pages through lms.wsgi, uvicorn serves the live room's websockets through lms.asgi, both with DJANGO_ENV=production
on one database (a fresh one, with the demo loaded)."""

import asyncio
import base64
import secrets
import tempfile
import urllib.request
from pathlib import Path

import pytest

from tests.demo_site import fresh_database_url, manage, session_cookie
from tests.servers import start_asgi, start_wsgi
from tests.webinars.live import RoomClient

pytestmark = pytest.mark.xdist_group("production-servers")

# The demo's live webinar: its id and its page's path (printed by a shell on the servers' database).
LIVE_WEBINAR = (
    "from webinars.models import WebinarPage;"
    "w = WebinarPage.objects.live().get(slug='demo-live-budget-questions', locale__language_code='en');"
    "print(w.pk, w.get_url())"
)


@pytest.fixture(scope="module")
def production_env():
    with fresh_database_url() as database_url, tempfile.TemporaryDirectory(prefix="lms-production-") as folder:
        env = {
            "DJANGO_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CERTIFICATES_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            "PRACTICE_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(Path(folder) / "static"),
            "MEDIA_ROOT": str(Path(folder) / "media"),
            "PRIVATE_MEDIA_ROOT": str(Path(folder) / "private"),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            "LMS_REQUIRE_STAFF_MFA": "0",
            "CACHE_KEY_PREFIX": f"entry-points-{secrets.token_hex(6)}",
            "CHANNEL_LAYER_PREFIX": f"entry-points-{secrets.token_hex(6)}",
            "WEBINARS_WORKER_NAME": "ws-1",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo")
        yield env


def test_gunicorn_serves_the_pages_and_uvicorn_the_live_room(production_env):
    env = production_env
    webinar_id, page_path = manage(env, "shell", "-c", LIVE_WEBINAR).split()[-2:]
    cookie = f"sessionid={session_cookie(env, 'learner')}"
    with start_wsgi(env=env, workers=2) as pages, start_asgi(env=env, server="uvicorn") as room:
        try:
            # The proxy says the request came over HTTPS (production redirects plain HTTP).
            request = urllib.request.Request(
                f"{pages.url}{page_path}", headers={"Cookie": cookie, "X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=20) as response:
                html = response.read().decode()
                assert response.status == 200
                assert "default-src 'self'" in response.headers["Content-Security-Policy"]
            assert "Aigerim" in html  # signed in: the learner's name in the header
            assert f"/webinars/{webinar_id}/room/" in html  # the live webinar offers its room

            asyncio.run(_join_the_room(room.ws_url, int(webinar_id), cookie))
        except BaseException:
            print(pages.output()[-3000:], room.output()[-3000:])
            raise


async def _join_the_room(ws_url: str, webinar_id: int, cookie: str) -> None:
    client = RoomClient(ws_url, webinar_id, cookie, name="learner")
    await client.open()
    try:
        await client.wait_for(lambda c: c.seq is not None, timeout=30)  # the room's snapshot came
        await client.send({"type": "question.ask", "text": "Is the budget sheet shared?", "anonymous": False,
                           "client_id": "entry-points-1"})  # fmt: skip
        await client.wait_for(lambda c: bool(c.acks), timeout=30)
        # Stored, and waiting for a presenter's approval (the demo's live room is moderated).
        assert [(a["client_id"], a["question"]["text"], a["question"]["status"]) for a in client.acks] == [
            ("entry-points-1", "Is the budget sheet shared?", "pending")
        ]
        assert not client.errors
    finally:
        await client.close()
