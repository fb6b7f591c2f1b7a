"""My progression, the dashboard panel, the PDF, downloads and "Download my data"."""

import io
import json
import re

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from certificates import selectors, services
from certificates.models import Requirement
from lms.testing import make_user

from .conftest import GIVEN, LEVEL_HELD, PRESENTED, make_level, translate_level

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_progress_page_shows_the_next_level_checklist(client, learner, certifier):
    first = make_level(name="Community Advocate", requirements=[{"kind": PRESENTED, "count": 1}])
    make_level(name="Street Lawyer", requirements=[{"kind": LEVEL_HELD, "required_level": first}])
    client.force_login(learner)
    html = client.get("/certificates/").content.decode()
    assert "Next level: Community Advocate" in html and "0 of 1" in html
    services.certificate_issue(actor=certifier, user=learner, level=first, outside_rules_reason=GIVEN)
    html = client.get("/certificates/").content.decode()
    assert "Next level: Street Lawyer" in html
    assert "Hold the level “Community Advocate”" in html and "1 of 1" in html
    assert "<progress" in html
    assert not re.search(r"\sstyle=", html) and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_dashboard_panel(client, learner, certifier):
    level = make_level(name="Community Advocate")
    services.certificate_issue(actor=certifier, user=learner, level=level, outside_rules_reason=GIVEN)
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    assert 'id="panel-certificates"' in html and "Community Advocate" in html


def test_the_dashboard_shows_a_changed_ladder_on_the_next_view(client, learner, certifier):
    """The ladder shown on the dashboard comes from a cache; an edit in the admin empties it."""
    first = make_level(name="Community Advocate", requirements=[{"kind": PRESENTED, "count": 1}])
    client.force_login(learner)
    assert "Community Advocate" in client.get("/dashboard/").content.decode()
    first.name = "Community Budget Advocate"
    first.save()
    html = client.get("/dashboard/").content.decode()
    assert "Community Budget Advocate" in html
    Requirement.objects.create(level=first, sort_order=0, kind=PRESENTED, count=2)
    assert "Present 2 webinars" in client.get("/dashboard/").content.decode()
    translate_level(first, "ru", name="Бюджетный адвокат", certificate_text="прошла")
    assert "Бюджетный адвокат" in client.get("/ru/dashboard/").content.decode()


def test_the_dashboard_reads_the_ladder_once_whatever_its_size(
    client, learner, certifier, django_assert_max_num_queries
):
    previous = None
    for _ in range(8):
        previous = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": previous}] if previous else [])
    services.certificate_issue(actor=certifier, user=learner, level=previous, outside_rules_reason="test data")
    client.force_login(learner)
    client.get("/dashboard/")
    # Session, user and the panels (the field-practice panel's one included); none for the ladder.
    with django_assert_max_num_queries(16):
        html = client.get("/dashboard/").content.decode()
    assert 'id="panel-certificates"' in html


@pytest.mark.parametrize("levels", [1, 8])
def test_progress_page_runs_a_fixed_number_of_queries(
    client, learner, certifier, levels, django_assert_max_num_queries
):
    previous = None
    for _ in range(levels):
        previous = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": previous}] if previous else [])
        services.certificate_issue(actor=certifier, user=learner, level=previous, outside_rules_reason="test data")
    client.force_login(learner)
    with django_assert_max_num_queries(40):
        assert client.get("/certificates/").status_code == 200


def test_choosing_the_printed_name(client, learner):
    client.force_login(learner)
    bad = client.post("/certificates/name/", {"source": "legal", "legal_name": ""})
    assert bad.status_code == 400 and "Write your legal name" in bad.content.decode()
    assert selectors.printed_name_for(learner) == "Aigerim"
    client.post("/certificates/name/", {"source": "legal", "legal_name": "Aigerim Nurlanova"})
    assert selectors.printed_name_for(learner) == "Aigerim Nurlanova"


def test_english_pdf_carries_name_level_serial_and_url(client, learner, certifier):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )
    client.force_login(learner)
    response = client.get(f"/certificates/{certificate.serial}/certificate.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Aigerim" in text and "Street Lawyer" in text and certificate.serial in text
    assert f"https://learn.example.org/verify/{certificate.verification_code}/" in text.replace("\n", "")


def scan_qr_codes(content: bytes) -> list[str]:
    """What a phone camera reads off the printed page: the PDF rasterised at 144 dpi, then decoded."""
    page = pypdfium2.PdfDocument(content)[0]
    return [code.text for code in zxingcpp.read_barcodes(page.render(scale=2).to_pil())]


def test_scanning_the_pdf_qr_code_opens_the_verification_page(
    client, learner, certifier, django_capture_on_commit_callbacks
):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )
    client.force_login(learner)
    [url] = scan_qr_codes(client.get(f"/certificates/{certificate.serial}/certificate.pdf").content)
    assert url == f"https://learn.example.org/verify/{certificate.verification_code}/"
    client.logout()  # whoever scans it is not signed in
    path = url.removeprefix("https://learn.example.org")
    assert "Valid" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Issued in error.")
    assert "Revoked" in client.get(path).content.decode()


def test_russian_pdf_renders_cyrillic(client, certifier):
    holder = make_user(display_name="Айгерим Нурланова", preferred_language="ru")
    level = make_level(name="Street Lawyer")
    translate_level(level, "ru", name="Уличный юрист", certificate_text="прошла обучение")
    certificate = services.certificate_issue(actor=certifier, user=holder, level=level, outside_rules_reason=GIVEN)
    client.force_login(holder)
    text = pdf_text(client.get(f"/certificates/{certificate.serial}/certificate.pdf").content)
    assert "Айгерим Нурланова" in text and "Уличный юрист" in text and "Серийный номер" in text
    assert f"/ru/verify/{certificate.verification_code}/" in text.replace("\n", "")


def test_downloads_are_for_the_holder_and_certifiers_only(client, learner, certifier):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    client.force_login(make_user())
    assert client.get(f"/certificates/{certificate.serial}/certificate.pdf").status_code == 404
    assert client.get(f"/certificates/{certificate.serial}/credential.json").status_code == 404
    assert client.post(f"/certificates/{certificate.serial}/withdraw/").status_code == 404
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    client.force_login(certifier)
    assert client.get(f"/certificates/{certificate.serial}/certificate.pdf").status_code == 200


def test_download_my_data_lists_certificates(client, learner, certifier):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Co-trainer"), outside_rules_reason=GIVEN
    )
    client.force_login(learner)
    data = json.loads(client.get("/account/export/").content)
    exported = data["certificates"]["certificates"]
    assert [c["serial"] for c in exported] == [certificate.serial]
    assert exported[0]["level"] == "Co-trainer" and exported[0]["name_as_printed"] == "Aigerim"
