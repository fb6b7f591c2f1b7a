"""The partner export: aggregate fields only, month not day, a case's rare city left out, a documented format."""

import csv
import io
import json
from datetime import date

import pytest
from django.urls import reverse

from lms.testing import make_user
from practice.export import CASE_FIELDS, FORMAT, VISIT_FIELDS
from practice.models import Practice, RecordStatus

from .network_factories import accepted_cases, accepted_visits, make_practice, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.LMS_REQUIRE_STAFF_MFA = False


@pytest.fixture
def certifier(client):
    user = make_user(role="Certifiers", username="certifier-export")
    client.force_login(user)
    return user


@pytest.fixture
def records():
    cases = make_practice()
    author = make_user(username="author-who-must-not-appear", display_name="Aigul Secret")
    accepted_cases(cases, 5, author=author, city="Odesa", incident_date=date(2026, 3, 14))
    accepted_cases(cases, 1, author=author, city="Small Village", incident_date=date(2026, 3, 15))
    accepted_cases(cases, 4, author=author, status=RecordStatus.RETURNED)
    monitoring = make_practice(kind=Practice.Kind.MONITORING)
    accepted_visits(monitoring, make_service(monitoring, city="Taldykorgan"), 2, scores=(3, None), author=author)
    return cases, monitoring


def test_json_carries_the_format_and_aggregate_fields_only(client, certifier, records):
    response = client.get(reverse("practice:export", args=["practice.json"]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["format"] == FORMAT == "lms-practice-export/1"
    assert len(data["case_records"]) == 6 and len(data["monitoring_visits"]) == 2  # accepted only
    case = data["case_records"][0]
    assert set(case) == set(CASE_FIELDS)
    assert case["incident_month"] == "2026-03" and case["violation_type"] == "police_violence"
    assert {c["city"] for c in data["case_records"]} == {"Odesa", None}  # one case in Small Village: left out
    visit = data["monitoring_visits"][0]
    assert visit["scores"] == [{"item": "Question 0", "score": 3}, {"item": "Question 1", "score": None}]
    assert visit["mean_score"] == 3 and visit["city"] == "Taldykorgan"
    assert "UA" in data["code_lists"]["country"]
    text = response.content.decode()
    for private in ("secret story", "private notes", "author-who-must-not-appear", "Aigul", "Small Village"):
        assert private not in text
    assert len({c["id"] for c in data["case_records"]}) == 6


def test_ids_are_stable_between_exports(client, certifier, records):
    first = json.loads(client.get(reverse("practice:export", args=["practice.json"])).content)
    second = json.loads(client.get(reverse("practice:export", args=["practice.json"])).content)
    assert [c["id"] for c in first["case_records"]] == [c["id"] for c in second["case_records"]]


def test_csv_files_have_the_documented_columns(client, certifier, records):
    cases = client.get(reverse("practice:export", args=["cases.csv"]))
    rows = list(csv.DictReader(io.StringIO(cases.content.decode())))
    assert list(rows[0]) == CASE_FIELDS and len(rows) == 6
    visits = client.get(reverse("practice:export", args=["visits.csv"]))
    rows = list(csv.DictReader(io.StringIO(visits.content.decode())))
    assert list(rows[0]) == VISIT_FIELDS
    assert [(r["item"], r["score"]) for r in rows] == [("Question 0", "3"), ("Question 1", "")] * 2


def test_a_formula_typed_as_a_city_is_exported_as_text(client, certifier):
    practice = make_practice()
    accepted_cases(practice, 5, city="=HYPERLINK(1)")
    rows = list(
        csv.DictReader(io.StringIO(client.get(reverse("practice:export", args=["cases.csv"])).content.decode()))
    )
    assert rows[0]["city"] == "'=HYPERLINK(1)"


def test_filters_apply_and_bad_ones_change_nothing(client, certifier, records):
    url = reverse("practice:export", args=["practice.json"])
    data = json.loads(client.get(url, {"start": "2026-03-15"}).content)
    assert len(data["case_records"]) == 1 and data["filters"]["from"] == "2026-03-15"
    response = client.get(url, {"start": "yesterday"})
    assert response.status_code == 400 and "not understood" in response.content.decode()


@pytest.mark.parametrize("size", [5, 200])
def test_a_fixed_number_of_queries(size, django_assert_max_num_queries):
    from practice.aggregates import Filters
    from practice.export import practice_export

    cases = make_practice()
    accepted_cases(cases, size)
    monitoring = make_practice(kind=Practice.Kind.MONITORING)
    accepted_visits(monitoring, make_service(monitoring), size)
    with django_assert_max_num_queries(3):
        data = practice_export(Filters())
    assert len(data.cases) == len(data.visits) == size
