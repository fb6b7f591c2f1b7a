"""Serial numbers stay gap-free and unique when several certifiers issue at the same moment (PostgreSQL)."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from lms import roles
from lms.testing import make_user

from .conftest import GIVEN, make_level

THREADS = 8
PER_THREAD = 4


@pytest.fixture(autouse=True)
def role_groups(db):
    """Transactional tests flush the tables, including the groups the roles migration made."""
    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps migration data for later tests
def test_parallel_issuers_get_gap_free_unique_serials():
    level = make_level()
    certifiers = [make_user(role="Certifiers") for _ in range(THREADS)]
    holders = [[make_user() for _ in range(PER_THREAD)] for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors = []

    def issue(index):
        try:
            barrier.wait()
            for holder in holders[index]:
                services.certificate_issue(
                    actor=certifiers[index], user=holder, level=level, outside_rules_reason=GIVEN
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    year = timezone.now().year
    numbers = sorted(Certificate.objects.filter(year=year).values_list("number", flat=True))
    assert numbers == list(range(1, THREADS * PER_THREAD + 1))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # keeps migration data for later tests
def test_a_race_for_the_same_certificate_issues_one_and_gives_the_other_number_back():
    level = make_level()
    holder = make_user()
    certifiers = [make_user(role="Certifiers") for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def issue(certifier):
        try:
            barrier.wait()
            outcomes.append(
                services.certificate_issue(actor=certifier, user=holder, level=level, outside_rules_reason=GIVEN).number
            )
        except ValidationError as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(c,)) for c in certifiers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(o).__name__ for o in outcomes) == ["ValidationError", "int"]
    assert Certificate.objects.filter(holder=holder).count() == 1
    following = services.certificate_issue(
        actor=certifiers[0], user=make_user(), level=level, outside_rules_reason=GIVEN
    )
    assert following.number == 2  # the refused issue's number was rolled back, so there is no gap
