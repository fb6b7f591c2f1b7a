"""The network's view: counts of accepted records with "<5" for small cells, rounded totals, charts, CSV, filters,
and only for certifiers and admins."""

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lms.testing import make_user
from practice import aggregates, services
from practice.aggregate_views import bar_chart
from practice.aggregates import Filters, practice_aggregates, shown_count, shown_total
from practice.models import Practice, RecordStatus

from .network_factories import accepted_cases, accepted_visits, make_practice, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.LMS_REQUIRE_STAFF_MFA = False


def table(result, slug):
    return next(t for t in result.tables if t.slug == slug)


def cells(t):
    return {row.label: row.shown for row in t.rows}


def test_the_one_rule_hides_one_to_four_and_rounds_totals():
    assert [shown_count(n) for n in (1, 4, 5, 12)] == ["<5", "<5", "5", "12"]
    assert shown_total(23, any_suppressed=False) == "23"
    assert shown_total(23, any_suppressed=True) == "about 20"
    assert shown_total(6, any_suppressed=True) == "about 10"
    assert shown_total(3, any_suppressed=True) == "<5"


def test_counts_only_accepted_records_and_suppresses_small_cells():
    practice = make_practice()
    accepted_cases(practice, 7, country="UA")
    accepted_cases(practice, 2, country="MD", violation_type="extortion")
    accepted_cases(practice, 9, country="GE", status=RecordStatus.SUBMITTED)  # not reviewed yet: not counted
    accepted_cases(practice, 3, country="GE", status=RecordStatus.DRAFT)
    result = practice_aggregates(Filters())
    by_country = table(result, "cases-country")
    assert cells(by_country) == {"Ukraine": "≥5", "Moldova": "<5"}
    assert cells(table(result, "cases-type")) == {"Police violence": "≥5", "Extortion": "<5"}
    # The month table has no small cell, but it adds up to the total of the others: shown, its one cell (9) minus
    # Ukraine's 7 would give Moldova's 2 back. Each table hides its smallest other cell, totals are rounded.
    assert cells(table(result, "cases-month")) == {"2026-03": "≥5"}
    assert {t.total_shown for t in result.cases} == {"about 10"}


def test_no_table_adds_up_to_a_total_that_would_give_a_hidden_cell_back():
    practice = make_practice()
    accepted_cases(practice, 30, country="UA", violation_type="extortion")
    accepted_cases(practice, 12, country="KZ", violation_type="extortion")
    accepted_cases(practice, 6, country="GE", violation_type="police_violence")
    accepted_cases(practice, 2, country="MD", violation_type="police_violence", incident_date=date(2026, 5, 1))
    result = practice_aggregates(Filters())
    assert cells(table(result, "cases-country")) == {
        "Ukraine": "30",
        "Kazakhstan": "12",
        "Georgia": "≥5",
        "Moldova": "<5",
    }
    assert cells(table(result, "cases-type")) == {"Extortion": "42", "Police violence": "≥5"}
    assert cells(table(result, "cases-month")) == {"2026-03": "≥5", "2026-05": "<5"}
    for t in result.cases:
        assert any(r.complement for r in t.rows) and t.total_shown == "about 50"


def test_totals_are_exact_when_nothing_is_hidden():
    practice = make_practice()
    accepted_cases(practice, 6, country="UA")
    accepted_cases(practice, 5, country="KZ")
    result = practice_aggregates(Filters())
    assert cells(table(result, "cases-country")) == {"Ukraine": "6", "Kazakhstan": "5"}
    assert {t.total_shown for t in result.cases} == {"11"}


def test_visits_by_kind_with_mean_scores_hidden_with_their_small_counts():
    practice = make_practice(kind=Practice.Kind.MONITORING)
    nsp = make_service(practice, kind="nsp", country="KZ")
    ost = make_service(practice, kind="ost", country="KZ", name="OST site")
    accepted_visits(practice, nsp, 5, scores=(3, 1))
    accepted_visits(practice, ost, 2, scores=(0, 0))
    t = table(practice_aggregates(Filters()), "visits-kind")
    rows = {r.label: (r.shown, r.shown_average) for r in t.rows}
    assert rows == {"Needle and syringe programme": ("≥5", "\u2013"), "OST site": ("<5", "\u2013")}
    accepted_visits(practice, nsp, 1, scores=(0, 0))
    accepted_visits(practice, ost, 3, scores=(2, 2))
    t = table(practice_aggregates(Filters()), "visits-kind")
    rows = {r.label: (r.shown, r.shown_average) for r in t.rows}
    assert rows == {"Needle and syringe programme": ("6", "1.7"), "OST site": ("5", "1.2")}


def test_filters_by_course_and_dates():
    first, second = make_practice(), make_practice()
    accepted_cases(first, 6, incident_date=date(2026, 1, 10))
    accepted_cases(first, 5, incident_date=date(2026, 2, 10))
    accepted_cases(second, 8, incident_date=date(2026, 2, 11))
    by_month = lambda f: cells(table(practice_aggregates(f), "cases-month"))  # noqa: E731
    assert by_month(Filters(course_key=first.course_key)) == {"2026-01": "6", "2026-02": "5"}
    assert by_month(Filters(start=date(2026, 2, 1), end=date(2026, 2, 28))) == {"2026-02": "13"}


@pytest.mark.parametrize("size", [6, 300])
def test_a_fixed_number_of_queries_whatever_the_number_of_records(size, django_assert_max_num_queries):
    practice = make_practice(kind=Practice.Kind.MONITORING)
    accepted_cases(practice, size)
    accepted_visits(practice, make_service(practice), size)
    with django_assert_max_num_queries(6):
        result = practice_aggregates(Filters())
    assert table(result, "visits-kind").rows[0].count == size


def test_only_certifiers_and_admins_may_see_aggregates():
    for role in (None, "Trainers"):
        with pytest.raises(PermissionDenied):
            services.aggregates_check(user=make_user(role=role))
    services.aggregates_check(user=make_user(role="Certifiers"))
    services.aggregates_check(user=make_user(role="admin"))


def login(client, role="Certifiers"):
    user = make_user(role=role)
    client.force_login(user)
    return user


@pytest.mark.parametrize("size", [6, 200])
def test_the_page_shows_tables_and_charts_with_the_same_suppressed_numbers(client, size, django_assert_max_num_queries):
    practice = make_practice()
    accepted_cases(practice, size, country="UA")
    accepted_cases(practice, 3, country="MD")
    login(client)
    url = reverse("practice:aggregates")
    client.get(url)  # the session and the kept look-ups
    with django_assert_max_num_queries(14):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="bar-chart"' in html and "bar-suppressed" in html
    assert '<th scope="row">Moldova</th><td class="number">&lt;5</td>' in html  # the table
    assert 'class="bar-value">&lt;5</text>' in html  # the chart says the same
    assert f"about {round((size + 3) / 10) * 10}" in html  # totals rounded: size + 3 is not given away
    assert f">{size + 3}<" not in html and f">{size}<" not in html
    assert "secret story" not in html
    assert "script" not in html.split("<main", 1)[1].split("</main>")[0]  # no script in the page's content


def test_bad_filters_get_a_clear_error_and_count_nothing(client):
    practice = make_practice()
    accepted_cases(practice, 6)
    login(client)
    response = client.get(reverse("practice:aggregates"), {"start": "2026-03-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert "bar-chart" not in response.content.decode()
    response = client.get(reverse("practice:aggregates_csv"), {"course": "not-a-course"})
    assert response.status_code == 400
    assert "not understood" in response.content.decode()


def test_the_csv_has_the_same_cells_as_the_page(client):
    practice = make_practice()
    accepted_cases(practice, 7, country="UA")
    accepted_cases(practice, 1, country="MD")
    login(client)
    response = client.get(reverse("practice:aggregates_csv"))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    country = {r["category"]: r["count"] for r in rows if r["table"] == "cases-country"}
    assert country == {"Ukraine": "≥5", "Moldova": "<5", "total": "about 10"}
    assert aggregates.aggregates_csv(practice_aggregates(Filters())) == response.content.decode()


def test_trainers_and_learners_are_refused(client):
    for role in (None, "Trainers"):
        login(client, role)
        assert client.get(reverse("practice:aggregates")).status_code == 403
        assert client.get(reverse("practice:export", args=["practice.json"])).status_code == 403


def test_chart_labels_clear_their_bars_and_the_bar_above():
    """At 13 units a label's descenders reach about 3 below its baseline and its capitals about 10 above: a label
    closer than 5 to its bar touches it (as it did), and a row must not rise into the bar above."""
    rows = [aggregates.Row(key=key, label=key, count=count) for key, count in (("Kyrgyzstan", 12), ("Ukraine", 3))]
    chart = bar_chart(aggregates.Table(slug="by-country", title="By country", category="Country", rows=rows))
    first, second = chart["bars"]
    assert first.bar_y - first.label_y >= 5
    assert second.label_y - 10 >= first.bar_y + chart["bar_height"]
