"""The pages of one record and of one practice run a fixed number of queries, whatever the number of checklist
questions, services and files (the lists have their own guard in test_views.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from practice import services
from practice.models import ChecklistItem, MonitoredService

from .factories import png_with_text

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _monitoring_round(world, size: int):
    """A practice with `size` more services and questions, and a visit answering every question with `size` files
    (at most the limit per record)."""
    for n in range(size):
        MonitoredService.objects.create(
            practice=world.monitoring, name=f"OST site {n}", kind="ost", country="UA", city="Odesa"
        )
        ChecklistItem.objects.create(practice=world.monitoring, text=f"Question {n}?", order=10 + n)
    items = ChecklistItem.objects.filter(practice=world.monitoring)
    visit = services.visit_save(
        user=world.learner,
        practice=world.monitoring,
        data={"service": world.service, "visit_date": None, "notes": "Queue outside"},
        scores={item.pk: 2 for item in items},
    )
    for _ in range(min(size, 5)):
        services.attachment_add(user=world.learner, record=visit, upload=png_with_text())
    return visit


@pytest.mark.parametrize("size", [1, 12])
def test_a_record_its_review_and_its_practice_run_a_fixed_number_of_queries(
    world, size, private_root, django_assert_max_num_queries
):
    visit = _monitoring_round(world, size)
    learner, trainer = _client(world.learner), _client(world.trainer)
    record_url = reverse("practice:record", args=["visits", visit.pk])
    review_url = reverse("practice:review", args=["visits", visit.pk])
    manage_url = reverse("practice:manage", args=[world.monitoring.pk])
    learner.get(reverse("practice:home")), trainer.get(reverse("practice:review_queue"))  # session, kept look-ups

    with django_assert_max_num_queries(
        8
    ):  # 6 measured at 1 and 12; the author's form: services, questions, answers, files
        assert learner.get(record_url).status_code == 200
    services.visit_save(user=world.learner, record=visit, data={"visit_date": "2026-04-02"}, scores={}, submit=True)
    with django_assert_max_num_queries(9):  # 7 measured; the trainer's review: answers with their questions, files
        assert trainer.get(review_url).status_code == 200
    with django_assert_max_num_queries(8):  # 6 measured; the trainer's formsets of services and questions
        assert trainer.get(manage_url).status_code == 200
