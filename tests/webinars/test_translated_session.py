"""A webinar happens once in every language: its translated pages share one session (registrations, seats, the
room), and the index lists it once, in the reader's language where it has one (WebinarPage.session)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from wagtail.models import Locale

from lms.testing import make_user
from webinars.models import Registration, WebinarPage

from .factories import make_webinar

pytestmark = pytest.mark.django_db


def translate(webinar: WebinarPage, language: str, title: str) -> WebinarPage:
    translated = webinar.copy_for_translation(Locale.objects.get(language_code=language), copy_parents=True).specific
    translated.title = title
    translated.save_revision().publish()
    return WebinarPage.objects.get(pk=translated.pk)


@pytest.fixture
def webinar():
    return make_webinar(title="Monitoring services", starts_in=timedelta(days=1), capacity=2)


def test_registering_on_the_ukrainian_page_registers_for_the_one_session(client, webinar):
    ukrainian = translate(webinar, "uk", "Моніторинг послуг")
    assert ukrainian.session == webinar and webinar.session is webinar
    learner = make_user()
    client.force_login(learner)
    response = client.post(f"/uk{reverse('webinars:register', args=[ukrainian.pk])}")
    assert response["Location"] == ukrainian.url  # back to the page in the reader's language
    assert list(Registration.objects.values_list("webinar_id", flat=True)) == [webinar.pk]
    for page in (ukrainian, webinar):
        context = client.get(page.url).context
        assert context["registered"] is True and context["seats_left"] == 1
        assert context["room_url"] == reverse("webinars:room", args=[webinar.pk])
    assert "Моніторинг послуг" in client.get(ukrainian.url).content.decode()
    client.post(reverse("webinars:cancel", args=[ukrainian.pk]))
    assert not Registration.objects.exists()


def test_the_index_lists_a_translated_webinar_once_in_the_readers_language(client, webinar):
    ukrainian = translate(webinar, "uk", "Моніторинг послуг")
    Registration.objects.create(webinar=webinar, user=make_user())
    Registration.objects.create(webinar=webinar, user=make_user())
    english_index = client.get(webinar.get_parent().url)
    html = english_index.content.decode()
    assert html.count("Monitoring services") == 1 and "Моніторинг послуг" not in html
    ukrainian_index = client.get(ukrainian.get_parent().url)
    html = ukrainian_index.content.decode()
    assert html.count("Моніторинг послуг") == 1 and "Monitoring services" not in html
    assert [w.seats_taken for w in ukrainian_index.context["upcoming"]] == [2]  # the session's seats: full
    # A language the webinar has no page in: its first version, once.
    russian_index = webinar.get_parent().copy_for_translation(Locale.objects.get(language_code="ru"))
    russian_index.save_revision().publish()
    html = client.get(russian_index.url).content.decode()
    assert html.count("Monitoring services") == 1 and "Моніторинг послуг" not in html
