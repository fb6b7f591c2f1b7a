"""Concurrent sign-ups on PostgreSQL: many people take the last seats at the same moment, nobody is overbooked."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from lms.testing import make_user
from webinars import services
from webinars.models import Registration, Room, RoomEvent

from .factories import make_trainer, make_webinar

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _race(fn, args_list):
    barrier = threading.Barrier(len(args_list))
    outcomes = []

    def run(args):
        try:
            barrier.wait()
            outcomes.append(("ok", fn(**args)))
        except ValidationError as error:
            outcomes.append(("refused", error.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_registrations_never_overbook():
    webinar = make_webinar(presenters=[make_trainer()], capacity=5, starts_in=timedelta(days=1))
    people = [make_user() for _ in range(16)]
    outcomes = _race(services.registration_create, [{"user": p, "webinar": webinar} for p in people])
    assert sum(1 for kind, _ in outcomes if kind == "ok") == 5
    assert sorted(code for kind, code in outcomes if kind == "refused") == ["full"] * 11
    assert Registration.objects.filter(webinar=webinar).count() == 5


def test_concurrent_questions_get_distinct_consecutive_seqs():
    webinar = make_webinar(presenters=[make_trainer()])
    people = [make_user() for _ in range(12)]
    outcomes = _race(
        services.question_ask, [{"user": p, "webinar": webinar, "text": f"q{i}"} for i, p in enumerate(people)]
    )
    assert all(kind == "ok" for kind, _ in outcomes)
    seqs = sorted(RoomEvent.objects.filter(webinar=webinar).values_list("seq", flat=True))
    assert seqs == list(range(1, 13)) and Room.objects.get(webinar=webinar).last_seq == 12
