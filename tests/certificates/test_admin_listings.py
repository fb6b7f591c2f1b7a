"""The certifiers' listings as Wagtail index views: who may open and export them, search, filters, the CSV and XLSX
exports, and a fixed number of queries with 10 or 1,000 rows."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.timezone import localtime

from certificates import services
from certificates.models import AuditEntry, Certificate, QueueEntry
from lms.models import User
from lms.testing import make_user

from .conftest import GIVEN, make_level

pytestmark = pytest.mark.django_db

QUEUE, CERTIFICATES, AUDIT = (
    "/admin/certification/",
    "/admin/certification/certificates/",
    "/admin/certification/audit/",
)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def issued(certifier, user, **level_fields) -> Certificate:
    return services.certificate_issue(
        actor=certifier, user=user, level=make_level(**level_fields), outside_rules_reason=GIVEN
    )


def test_only_certifiers_open_or_export_the_listings(client, certifier, learner):
    certificate = issued(certifier, learner)
    for person in (learner, make_user(role="Trainers")):
        client.force_login(person)
        for url in (QUEUE, CERTIFICATES, AUDIT):
            for query in ({}, {"export": "csv"}, {"export": "xlsx"}):
                response = client.get(url, query)
                assert response.status_code == 302, (url, query)
                assert certificate.serial not in response.content.decode()
    client.force_login(certifier)
    for url in (QUEUE, CERTIFICATES, AUDIT):
        assert client.get(url).status_code == 200
    # A listing is only a listing: Wagtail's add, edit and delete views do not exist for these models.
    for path in ("new/", f"edit/{certificate.pk}/", f"delete/{certificate.pk}/"):
        assert client.get(CERTIFICATES + path).status_code == 404


def test_the_certificates_export_as_csv_with_names_that_cannot_run_as_formulas(client, certifier):
    holder = make_user(display_name="=HYPERLINK(1)")
    certificate = issued(certifier, holder, name="Street Lawyer")
    client.force_login(certifier)
    response = client.get(CERTIFICATES, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "certificates-" in response["Content-Disposition"]
    assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    header, *rows = csv_rows(response)
    assert header[:4] == ["Serial number", "Name as printed", "Username", "Level"]
    assert rows == [
        [
            certificate.serial,
            "'=HYPERLINK(1)",
            holder.username,
            "Street Lawyer",
            localtime(certificate.issued_at).strftime("%Y-%m-%d %H:%M"),
            "Valid",
            "",
        ]
    ]
    xlsx = client.get(CERTIFICATES, {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_certificates_filter_by_status_and_search_by_name(client, certifier, learner):
    kept = issued(certifier, learner, name="Community Advocate")
    revoked = issued(certifier, make_user(display_name="Bolat"), name="Street Lawyer")
    services.certificate_revoke(actor=certifier, certificate=revoked, reason="Obtained by fraud")
    client.force_login(certifier)
    html = client.get(CERTIFICATES, {"status": "revoked"}).content.decode()
    assert revoked.serial in html and kept.serial not in html
    html = client.get(CERTIFICATES, {"q": "Aigerim"}).content.decode()
    assert kept.serial in html and revoked.serial not in html
    exported = csv_rows(client.get(CERTIFICATES, {"status": "valid", "export": "csv"}))
    assert [row[0] for row in exported[1:]] == [kept.serial]  # the export is the filtered listing


def test_the_audit_log_filters_by_action_and_exports(client, certifier, learner):
    certificate = issued(certifier, learner)
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud")
    client.force_login(certifier)
    assert "2 audit entries" in client.get(AUDIT).content.decode()
    html = client.get(AUDIT, {"action": "revoke"}).content.decode()
    assert "Obtained by fraud" in html and GIVEN not in html  # the issue entry, with its reason, is filtered out
    header, *rows = csv_rows(client.get(AUDIT, {"export": "csv"}))
    assert header == ["When", "Action", "By", "About", "Level", "Certificate", "Reason"]
    assert [row[1] for row in rows] == ["Revoked", "Issued outside the rules"]
    assert all(row[2] == "Certification team" and row[3] == learner.username for row in rows)


def test_the_queue_filter_offers_only_the_levels_this_certifier_may_issue(client, certifier):
    from django.contrib.auth.models import Group

    senior = Group.objects.create(name="Senior certifiers")
    make_level(name="Community Advocate")
    make_level(name="Certified Trainer", certifier_group=senior)
    client.force_login(certifier)
    html = client.get(QUEUE).content.decode()
    assert "Community Advocate" in html and "Certified Trainer" not in html
    assert "Nobody is waiting for a decision." in html


def test_the_queues_decision_forms_carry_a_csrf_token_a_browser_can_send(certifier, learner):
    """The issue and reject buttons are forms in the listing's cells; a browser sends the CSRF token they carry."""
    entry = QueueEntry.objects.create(user=learner, level=make_level(), eligible_since=timezone.now())
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(certifier)
    html = browser.get(QUEUE).content.decode()
    tokens = {
        action: re.search(
            rf'action="{QUEUE}{entry.pk}/{action}/".*?name="csrfmiddlewaretoken" value="([^"]+)"', html, re.S
        ).group(1)
        for action in ("issue", "reject")
    }
    response = browser.post(f"{QUEUE}{entry.pk}/reject/", {"csrfmiddlewaretoken": tokens["reject"], "reason": "Later"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == QueueEntry.Status.REJECTED


def _fill(count: int, certifier) -> None:
    """`count` people in the queue, with a certificate and an audit entry each (bulk: no rule runs)."""
    level = make_level(name="Community Advocate")
    now = timezone.now()
    users = User.objects.bulk_create(
        User(username=f"bulk{count}-{i}", display_name=f"Person {i}", password="!") for i in range(count)
    )
    QueueEntry.objects.bulk_create(
        QueueEntry(user=user, level=level, eligible_since=now - timedelta(minutes=i)) for i, user in enumerate(users)
    )
    certificates = Certificate.objects.bulk_create(
        Certificate(
            serial=f"2026-{i:06d}",
            year=2026,
            number=i,
            level=level,
            holder=user,
            holder_name=user.display_name,
            issued_at=now,
            issued_by=certifier,
            issuer_name="Network",
            verification_code=f"code-{count}-{i:06d}-abcdefghij",
            status_index=i,
        )
        for i, user in enumerate(users)
    )
    AuditEntry.objects.bulk_create(
        AuditEntry(action=AuditEntry.Action.ISSUE, actor=certifier, subject=c.holder, level=level, certificate=c)
        for c in certificates
    )


@pytest.mark.parametrize("count", [10, 1000])
def test_each_listing_runs_a_fixed_number_of_queries(client, certifier, count, django_assert_max_num_queries):
    _fill(count, certifier)
    client.force_login(certifier)
    client.get(QUEUE)  # the session, the site and the admin's own first reads
    for url, query, most in (
        (QUEUE, {}, 21),  # with the evidence of the page's 50 people
        (QUEUE, {"q": "Person"}, 21),
        (CERTIFICATES, {}, 12),
        (CERTIFICATES, {"status": "valid"}, 12),
        (AUDIT, {}, 12),
        (AUDIT, {"action": "issue"}, 12),
    ):
        with django_assert_max_num_queries(most):
            response = client.get(url, query)
        assert response.status_code == 200
        assert response.content.decode().count(f"@bulk{count}-") >= min(count, 50), url  # every row of the page
    with django_assert_max_num_queries(7):
        exported = csv_rows(client.get(CERTIFICATES, {"export": "csv"}))  # every row, streamed
    assert len(exported) == count + 1
