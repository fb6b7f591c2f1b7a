"""The languages: pages render in Russian under /ru/, links lead to each language (the catalogues are checked in
test_catalogues.py)."""

import pytest

from lms.testing import make_site, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site():
    return make_site()


def test_home_page_renders_in_russian_under_ru(client):
    response = client.get("/ru/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert "Обучение сообщества" in html  # the Russian home page's own title
    assert "Присоединиться без адреса электронной почты" in html
    assert "Приватность" in html  # the footer, from the gettext catalogue


def test_home_page_renders_in_english_without_a_prefix(client):
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html and "Community Learning" in html


@pytest.mark.parametrize("path", ["/ru/account/", "/ru/dashboard/", "/ru/accounts/login/", "/ru/privacy/"])
def test_account_pages_render_in_russian(client, path):
    client.force_login(make_user())
    if path == "/ru/accounts/login/":
        client.logout()
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert "Скачать мои данные" in html or "Войти" in html


def test_language_links_point_to_the_same_page_in_each_language(client):
    html = client.get("/privacy/?from=footer").content.decode()
    assert 'href="/ru/privacy/?from=footer" hreflang="ru"' in html
    html = client.get("/ru/privacy/").content.decode()
    assert 'href="/privacy/" hreflang="en"' in html


def test_not_found_page_is_styled_and_localised(client):
    response = client.get("/ru/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Страница не найдена" in html and "site.css" in html


def test_language_switcher_offers_every_language_by_its_own_name(client):
    html = client.get("/uk/privacy/").content.decode()
    assert '<html lang="uk"' in html
    assert (
        'href="/uk/privacy/" hreflang="uk" lang="uk" aria-current="true">UK<span class="visually-hidden"> Українська'
        in html
    )
    assert 'href="/privacy/" hreflang="en"' in html and 'href="/ru/privacy/" hreflang="ru"' in html


def test_pages_render_in_ukrainian_under_uk(client):
    client.force_login(make_user())
    html = client.get("/uk/account/").content.decode()
    assert '<html lang="uk"' in html
    assert "Завантажити мої дані" in html and "Швидкий вихід" in html
