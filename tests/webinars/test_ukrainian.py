"""Webinars for a reader of Ukrainian: the reminder e-mail (subject, body, date in their time zone) and the list,
which names each webinar's track in Ukrainian."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from wagtail.models import Locale

from courses.models import Track
from lms.testing import make_user
from webinars import services, tasks

from .factories import make_index, make_trainer, make_webinar

pytestmark = pytest.mark.django_db


def test_reminder_is_written_in_ukrainian_with_a_ukrainian_date():
    webinar = make_webinar(presenters=[make_trainer()], starts_in=timedelta(hours=20), title="Бюджет міста")
    learner = make_user(email="olena@example.org", preferred_language="uk", time_zone="Europe/Kyiv")
    registration = services.registration_create(user=learner, webinar=webinar)
    mail.outbox.clear()
    assert tasks.send_reminder.call(registration_id=registration.pk, kind="24h")
    message = mail.outbox[-1]
    assert message.subject == "Завтра: Бюджет міста"
    with translation.override("uk"), timezone.override("Europe/Kyiv"):
        when = formats.date_format(timezone.localtime(webinar.start), "DATETIME_FORMAT")
    assert f"Вебінар «Бюджет міста» починається {when} (Europe/Kyiv)." in message.body
    assert "Скасувати реєстрацію" in message.body and "Hello" not in message.body


def test_webinar_cards_name_the_track_in_the_readers_language(client):
    index = make_index()
    index.copy_for_translation(Locale.objects.get(language_code="uk")).save_revision().publish()
    english = Track.objects.create(name="Street lawyers", slug="street", locale=Locale.objects.get(language_code="en"))
    ukrainian = english.copy_for_translation(Locale.objects.get(language_code="uk"))
    ukrainian.name = "Вуличні юристи"
    ukrainian.save()
    make_webinar(presenters=[make_trainer()], title="Soon", track=english, starts_in=timedelta(days=2))
    make_webinar(presenters=[make_trainer()], title="Before", track=english, starts_in=timedelta(days=-2))
    html = client.get("/uk/webinars/").content.decode()
    assert html.count("<li>Вуличні юристи</li>") == 2 and "<li>Street lawyers</li>" not in html
    assert client.get("/webinars/").content.decode().count("<li>Street lawyers</li>") == 2
