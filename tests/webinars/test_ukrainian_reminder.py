"""A reminder e-mail to a learner who reads Ukrainian: subject, body and date in Ukrainian, in their time zone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from lms.testing import make_user
from webinars import services, tasks

from .factories import make_trainer, make_webinar

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
