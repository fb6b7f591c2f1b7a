"""Offline reading: the service worker is served from the root, the manifest is valid, the offline page renders."""

import json

import pytest

from lms.testing import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


def test_service_worker_is_served_from_the_root_with_a_root_scope(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert b'addEventListener("fetch"' in response.content


def test_every_page_registers_the_service_worker_and_the_manifest(client):
    html = client.get("/").content.decode()
    assert 'data-service-worker="/sw.js"' in html
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'id="offline-notice"' in html and "hidden" in html


def test_manifest_is_valid_and_localised(client):
    manifest = json.loads(client.get("/ru/manifest.webmanifest").content)
    assert manifest["start_url"] == "/ru/dashboard/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] == "Обучение сообщества"
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.parametrize("path", ["/offline/", "/ru/offline/"])
def test_offline_page_renders_for_anonymous_visitors(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "offline" in response.content.decode().lower() or "сети" in response.content.decode()


def test_service_worker_keeps_an_offline_page_for_every_language_in_settings(client, settings):
    source = client.get("/sw.js").content.decode()
    assert 'const LANGUAGE_PREFIXES = ["/ru", "/uk"];' in source
    settings.LANGUAGES = [*settings.LANGUAGES, ("kk", "Қазақ тілі")]
    assert 'const LANGUAGE_PREFIXES = ["/ru", "/uk", "/kk"];' in client.get("/sw.js").content.decode()
    for prefix in ("", "/ru", "/uk"):
        assert client.get(f"{prefix}/offline/").status_code == 200
