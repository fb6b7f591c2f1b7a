"""A record's text reaches its own pages only: never a message shown after an action, a dashboard, the review queue,
a log line or an e-mail, whatever happens to the record (a refused file, a refused submission, a return with a
comment, an acceptance)."""

import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from practice.models import CaseRecord, RecordStatus

from .factories import SECRET, SECRET_NAME, complete_case_data

pytestmark = pytest.mark.django_db

COMMENT = "Say how Sasha consented before naming Ivanov"
WRITTEN = (SECRET, SECRET_NAME, "Lenina street 5", "Petrenko", "Verbal consent", "Sasha", "beaten-by-ivanov")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _case_post(**overrides) -> dict:
    data = {k: ("on" if v is True else v) for k, v in complete_case_data(**overrides).items() if v is not False}
    return {k: str(v) for k, v in data.items()}


def _assert_nothing_written(html: str, where: str) -> None:
    leaked = [text for text in WRITTEN if text.lower() in html.lower()]
    assert not leaked, f"{where} shows {leaked}"


def test_messages_dashboards_queue_logs_and_mail_never_carry_a_records_text(world, caplog):
    learner, trainer = _client(world.learner), _client(world.trainer)
    dashboard, queue = reverse("dashboard"), reverse("practice:review_queue")

    def look(step: str) -> None:
        """What each person sees next, with the message the step left: their dashboard, the trainer's queue."""
        _assert_nothing_written(learner.get(dashboard).content.decode(), f"the learner's dashboard after {step}")
        _assert_nothing_written(trainer.get(dashboard).content.decode(), f"the trainer's dashboard after {step}")
        _assert_nothing_written(trainer.get(queue).content.decode(), f"the review queue after {step}")

    with caplog.at_level(logging.DEBUG):
        new_url = reverse("practice:record_new", args=[world.cases.pk, "cases"])
        response = learner.post(new_url, {**_case_post(consent_given=False), "save": "1"})
        record = CaseRecord.objects.get()
        url = response["Location"]
        look("saving a draft")

        refused = SimpleUploadedFile("beaten-by-ivanov.exe", b"MZ\x90\x00 not a photo", "application/octet-stream")
        response = learner.post(url, {**_case_post(consent_given=False), "file": refused, "save": "1"})
        assert response.status_code in (302, 400) and not record.attachments.exists()
        look("a refused file")

        response = learner.post(url, {**_case_post(consent_given=False), "submit": "1"})
        assert response.status_code == 400
        look("a submission refused for want of consent")

        assert learner.post(url, {**_case_post(), "submit": "1"}).status_code == 302
        look("the submission")

        review_url = reverse("practice:review", args=["cases", record.pk])
        assert trainer.post(review_url, {"decision": "return", "comment": COMMENT}).status_code == 302
        look("the return with a comment")

        assert learner.post(url, {**_case_post(), "submit": "1"}).status_code == 302
        assert trainer.post(review_url, {"decision": "accept"}).status_code == 302
        look("the acceptance")

    record.refresh_from_db()
    assert record.status == RecordStatus.ACCEPTED and record.narrative == SECRET
    assert caplog.records, "the steps logged nothing at all: the check below would prove nothing"
    _assert_nothing_written(caplog.text, "the log")
    assert COMMENT not in caplog.text
    assert not mail.outbox  # no e-mail is ever sent about a record
