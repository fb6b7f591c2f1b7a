"""The next language is only a locale code in settings plus catalogues (docs/translation.md, "Adding a
language"): with Kazakh added to settings.LANGUAGES and no code change, the site serves pages under /kk/, in
English strings where no catalogue exists yet, and Kazakh content once a page is translated."""

import pytest
from wagtail.models import Locale

from lms.testing import make_site, make_user

pytestmark = pytest.mark.django_db

KAZAKH = ("kk", "Қазақ тілі")


@pytest.fixture
def kazakh(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, KAZAKH]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES
    return settings


def test_a_fourth_language_in_settings_is_served_with_english_strings_until_it_has_a_catalogue(client, kazakh):
    make_site()  # what load_demo does: a Locale row and a copy of the home page per language in settings
    assert Locale.objects.filter(language_code="kk").exists()
    html = client.get("/kk/").content.decode()
    assert '<html lang="kk"' in html
    assert "Privacy" in html and "Quick exit" in html  # no kk catalogue: the English msgids
    assert 'href="/kk/" hreflang="kk" lang="kk" aria-current="true">KK<span class="visually-hidden"> Қазақ' in html
    assert 'href="/uk/" hreflang="uk"' in html and 'href="/" hreflang="en"' in html
    assert '"/kk"' in client.get("/sw.js").content.decode()  # its offline page is kept too


def test_a_fourth_language_serves_its_own_translated_page(client, kazakh):
    homes = make_site()
    kazakh_home = homes["kk"]
    assert kazakh_home.locale.language_code == "kk" and kazakh_home.url == "/kk/"
    kazakh_home.title = "Қоғамдастықты оқыту"
    kazakh_home.save_revision().publish()
    html = client.get("/kk/").content.decode()
    assert "Қоғамдастықты оқыту" in html
    assert "Қоғамдастықты оқыту" not in client.get("/").content.decode()


def test_a_learner_can_choose_the_fourth_language_in_their_profile(client, kazakh):
    make_site()
    user = make_user()
    client.force_login(user)
    assert '<option value="kk"' in client.get("/account/").content.decode()
    fields = {"display_name": "Айгүл", "preferred_language": "kk", "time_zone": "Asia/Almaty", "country": "KZ"}
    response = client.post("/account/", fields)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "kk"  # a stored choice, without a migration
