"""The pages, as a trainee and a trainer use them: forms without JavaScript, autosave, review, downloads, headers,
and a fixed number of queries whatever the number of records."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from practice import services
from practice.models import Attachment, CaseRecord, ChecklistItem, MonitoredService, MonitoringVisit, RecordStatus

from .factories import SECRET, accepted_case, complete_case_data, jpeg_with_gps, submitted_case

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form_post(**overrides) -> dict:
    data = {k: ("on" if v is True else ("" if v is False else v)) for k, v in complete_case_data().items()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def test_record_a_case_without_javascript_save_draft_finish_later_submit(world):
    client = _client(world.learner)
    new_url = reverse("practice:record_new", args=[world.cases.pk, "cases"])
    page = client.get(new_url)
    assert page.status_code == 200 and 'name="consent_given"' in page.content.decode()
    response = client.post(new_url, {"city": "Odesa", "narrative": SECRET, "save": "1"})
    record = CaseRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("practice:record", args=["cases", record.pk])
    assert record.status == RecordStatus.DRAFT and record.narrative == SECRET
    # Later: the draft is there, with what was typed.
    page = client.get(response["Location"])
    assert SECRET in page.content.decode()
    # Submitting without consent: a clear error, the record stays a draft.
    response = client.post(response["Location"], _form_post(consent_given="", submit="1"))
    assert response.status_code == 400
    assert "consent" in response.content.decode().lower()
    assert CaseRecord.objects.get().status == RecordStatus.DRAFT
    response = client.post(reverse("practice:record", args=["cases", record.pk]), _form_post(submit="1"))
    assert response.status_code == 302
    assert CaseRecord.objects.get().status == RecordStatus.SUBMITTED
    # Submitted: the author reads it, cannot change it.
    page = client.get(reverse("practice:record", args=["cases", record.pk]))
    assert page.status_code == 200 and "<form" not in page.content.decode().split("<main")[-1].split("</main>")[0]
    client.post(reverse("practice:record", args=["cases", record.pk]), _form_post(city="Kyiv", save="1"))
    assert CaseRecord.objects.get().city == "Odesa"


def test_autosave_creates_one_draft_then_updates_it(world):
    client = _client(world.learner)
    new_url = reverse("practice:record_new", args=[world.cases.pk, "cases"])
    first = client.post(new_url, {"city": "Odes", "autosave": "1"})
    assert first.status_code == 200 and first.json()["saved"] is True
    url = first.json()["url"]
    second = client.post(url, {"city": "Odesa", "narrative": "typing", "autosave": "1"})
    assert second.json() == {"saved": True, "url": url}
    assert CaseRecord.objects.count() == 1 and CaseRecord.objects.get().city == "Odesa"
    bad = client.post(url, {"incident_date": "not a date", "autosave": "1"})
    assert bad.status_code == 400 and bad.json()["saved"] is False
    assert CaseRecord.objects.get().narrative == "typing"


def test_a_visit_form_shows_the_trainers_checklist_and_saves_scores(world):
    client = _client(world.learner)
    new_url = reverse("practice:record_new", args=[world.monitoring.pk, "visits"])
    page = client.get(new_url).content.decode()
    assert "Open at the stated hours?" in page and "NSP Vokzal" in page
    first, second = world.items
    response = client.post(
        new_url,
        {
            "service": world.service.pk,
            "visit_date": "2026-04-02",
            f"score_{first.pk}": "2",
            f"score_{second.pk}": "na",
            "notes": "Needles out of stock",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    visit = MonitoringVisit.objects.get()
    assert visit.status == RecordStatus.SUBMITTED and visit.notes == "Needles out of stock"
    assert {a.item_id: a.score for a in visit.answers.all()} == {first.pk: 2, second.pk: None}


def test_upload_through_the_form_and_download_only_for_author_and_trainer(world, private_root):
    client = _client(world.learner)
    new_url = reverse("practice:record_new", args=[world.cases.pk, "cases"])
    client.post(new_url, {"city": "Odesa", "save": "1", "file": jpeg_with_gps("evidence.jpg")})
    attachment = Attachment.objects.get()
    url = reverse("practice:attachment", args=[attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response["Content-Type"] == "application/octet-stream"
    assert 'filename="evidence.jpg"' in response["Content-Disposition"]
    assert response.content.startswith(b"\xff\xd8") and b"Exif" not in response.content
    assert _client(world.trainer).get(url).status_code == 404  # a draft's file: the author's alone
    services.case_save(user=world.learner, record=attachment.record, data=complete_case_data(), submit=True)
    assert _client(world.trainer).get(url).status_code == 200
    for outsider in (world.other, world.trainer2, world.certifier):
        assert _client(outsider).get(url).status_code == 404


def test_a_refused_file_keeps_the_typed_text_and_says_why(world, private_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = _client(world.learner)
    new_url = reverse("practice:record_new", args=[world.cases.pk, "cases"])
    response = client.post(
        new_url, {"city": "Odesa", "save": "1", "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00")}, follow=True
    )
    assert "not accepted" in response.content.decode()
    assert CaseRecord.objects.get().city == "Odesa" and not Attachment.objects.exists()


def test_every_practice_page_is_private_and_not_stored(world):
    record = submitted_case(world)
    for user, url in (
        (world.learner, reverse("practice:home")),
        (world.learner, reverse("practice:record", args=["cases", record.pk])),
        (world.learner, reverse("practice:record_new", args=[world.cases.pk, "cases"])),
        (world.trainer, reverse("practice:review_queue")),
        (world.trainer, reverse("practice:review", args=["cases", record.pk])),
        (world.trainer, reverse("practice:manage", args=[world.monitoring.pk])),
    ):
        response = _client(user).get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


def test_trainer_returns_then_accepts_from_the_queue(world):
    record = submitted_case(world)
    trainer = _client(world.trainer)
    queue = trainer.get(reverse("practice:review_queue")).content.decode()
    assert reverse("practice:review", args=["cases", record.pk]) in queue
    assert SECRET not in queue  # the queue lists, it does not show the narrative
    review_url = reverse("practice:review", args=["cases", record.pk])
    assert SECRET in trainer.get(review_url).content.decode()
    assert trainer.post(review_url, {"decision": "return", "comment": ""}).status_code == 400
    assert trainer.post(review_url, {"decision": "return", "comment": "Add the city"}).status_code == 302
    page = _client(world.learner).get(reverse("practice:record", args=["cases", record.pk])).content.decode()
    assert "Add the city" in page
    services.case_save(user=world.learner, record=record, data={}, submit=True)
    assert trainer.post(review_url, {"decision": "accept"}).status_code == 302
    assert CaseRecord.objects.get().status == RecordStatus.ACCEPTED
    assert _client(world.trainer2).get(review_url).status_code == 403


def test_trainer_keeps_the_services_and_the_checklist(world):
    client = _client(world.trainer)
    url = reverse("practice:manage", args=[world.monitoring.pk])
    form = {
        "title": "NSP monitoring",
        "instructions": "",
        "services-TOTAL_FORMS": "2",
        "services-INITIAL_FORMS": "1",
        "services-0-id": world.service.pk,
        "services-0-name": "NSP Vokzal",
        "services-0-kind": "nsp",
        "services-0-country": "UA",
        "services-0-city": "Odesa",
        "services-0-stated_hours": "Mon-Fri 10-18",
        "services-0-active": "on",
        "services-1-name": "OST site No 2",
        "services-1-kind": "ost",
        "services-1-country": "MD",
        "services-1-city": "Chisinau",
        "items-TOTAL_FORMS": "3",
        "items-INITIAL_FORMS": "2",
        "items-0-id": world.items[0].pk,
        "items-0-text": "Open at the stated hours?",
        "items-0-order": "1",
        "items-1-id": world.items[1].pk,
        "items-1-text": "Supplies in stock?",
        "items-1-order": "2",
        "items-1-DELETE": "on",
        "items-2-text": "Staff respectful?",
        "items-2-order": "3",
    }
    assert client.post(url, form).status_code == 302
    assert set(MonitoredService.objects.values_list("name", flat=True)) == {"NSP Vokzal", "OST site No 2"}
    assert list(ChecklistItem.objects.values_list("text", flat=True)) == [
        "Open at the stated hours?",
        "Staff respectful?",
    ]
    # A question that a visit answered cannot be deleted: a clear error, nothing changes.
    item = ChecklistItem.objects.get(text="Staff respectful?")
    services.visit_save(user=world.learner, practice=world.monitoring, data={}, scores={item.pk: 1})
    form.update({"items-TOTAL_FORMS": "2", "items-1-id": item.pk, "items-1-text": item.text, "items-1-order": "3"})
    del form["items-2-text"], form["items-2-order"]
    response = client.post(url, form)
    assert response.status_code == 400 and "cannot be deleted" in response.content.decode()
    assert ChecklistItem.objects.filter(pk=item.pk).exists()
    assert _client(world.trainer2).post(url, form).status_code == 403


def test_a_server_error_on_a_record_page_logs_no_content(world, caplog, monkeypatch):
    record = submitted_case(world)
    from practice import views

    def broken(*args, **kwargs):
        raise RuntimeError("template failed")

    monkeypatch.setattr(views, "render", broken)
    client = _client(world.learner)
    client.raise_request_exception = False
    with caplog.at_level(logging.DEBUG):
        response = client.get(reverse("practice:record", args=["cases", record.pk]))
    assert response.status_code == 500
    assert "RuntimeError" in caplog.text  # the error is logged...
    for plaintext in (SECRET, "Lenina", "Petrenko", "Verbal consent"):
        assert plaintext not in caplog.text  # ...without the record's content
        assert plaintext not in response.content.decode()
    assert SECRET not in str(record) and SECRET not in repr(record)


@pytest.mark.parametrize("size", [1, 12])
def test_lists_run_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    from courses import services as course_services
    from lms.testing import make_user

    for _ in range(size):
        author = make_user()
        course_services.enrollment_create(user=author, course=world.course)
        submitted_case(world, author=author)
        services.case_save(user=world.learner, practice=world.cases, data={"city": "Odesa"})
        services.visit_save(user=world.learner, practice=world.monitoring, data={"service": world.service}, scores={})
    accepted_case(world)
    learner, trainer = _client(world.learner), _client(world.trainer)
    learner.get(reverse("practice:home")), trainer.get(reverse("practice:review_queue"))  # session, kept look-ups
    with django_assert_max_num_queries(8):  # 6 measured, at 1 and at 12 records of each kind
        assert learner.get(reverse("practice:home")).status_code == 200
    with django_assert_max_num_queries(9):  # 7 measured
        assert trainer.get(reverse("practice:review_queue")).status_code == 200


def test_the_dashboard_shows_practice_to_the_cohort_and_the_review_count_to_trainers(world):
    record = submitted_case(world)
    services.case_save(user=world.learner, practice=world.cases, data={"city": "Odesa"})
    trainer_page = _client(world.trainer).get(reverse("dashboard")).content.decode()
    assert "1 record to review" in trainer_page and reverse("practice:review_queue") in trainer_page
    services.record_review(reviewer=world.trainer, record=record, accept=False, comment="Add the date")
    page = _client(world.learner).get(reverse("dashboard")).content.decode()
    assert "Field practice" in page and "1 record returned for changes" in page and "1 draft" in page
    assert reverse("practice:home") in page
    assert "Field practice" not in _client(world.other).get(reverse("dashboard")).content.decode()


def test_a_draft_and_its_files_are_the_authors_alone_until_submitted(world):
    """A draft may not have the person's consent yet: the course's trainers (and admins) read it once submitted."""
    draft = services.case_save(user=world.learner, practice=world.cases, data=complete_case_data())
    attachment = services.attachment_add(user=world.learner, record=draft, upload=jpeg_with_gps())
    record_url = reverse("practice:record", args=["cases", draft.pk])
    file_url = reverse("practice:attachment", args=[attachment.pk])
    for reader in (world.trainer, world.admin):
        client = _client(reader)
        assert client.get(record_url).status_code == 404
        assert client.get(file_url).status_code == 404
    assert _client(world.learner).get(record_url).status_code == 200
    services.case_save(user=world.learner, record=draft, data={}, submit=True)
    for reader in (world.trainer, world.admin):
        client = _client(reader)
        assert SECRET in client.get(record_url).content.decode()
        assert client.get(file_url).status_code == 200
