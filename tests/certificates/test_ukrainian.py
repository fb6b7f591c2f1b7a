# ruff: noqa: RUF001, RUF002, RUF003 - Ukrainian text in Cyrillic
"""A certificate in Ukrainian: the PDF (with і ї є ґ in the font), the signed credential's display texts and the
verification page, with Ukrainian dates."""

import io
import json

import pytest
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from certificates import services
from lms.testing import make_user

from .conftest import GIVEN, make_level, translate_level

pytestmark = pytest.mark.django_db

HOLDER = "Ґалина Їжак-Євтушенко"


@pytest.fixture
def certificate(certifier):
    holder = make_user(display_name=HOLDER, preferred_language="uk")
    level = make_level(name="Street Lawyer", description="Documents rights violations.")
    translate_level(
        level,
        "uk",
        name="Вуличний юрист",
        description="Документує порушення прав і допомагає рівним.",
        certificate_text="пройшла навчання вуличних юристів",
    )
    return services.certificate_issue(actor=certifier, user=holder, level=level, outside_rules_reason=GIVEN)


def issued_on(certificate) -> str:
    with translation.override("uk"):
        return formats.date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT")


def test_ukrainian_pdf_prints_every_letter_in_the_embedded_font(client, certificate):
    client.force_login(certificate.holder)
    reader = PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.serial}/certificate.pdf").content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for words in (HOLDER, "Вуличний юрист", "пройшла навчання", "Цим засвідчується", "Серійний номер"):
        assert words in text
    assert f"Дата видачі: {issued_on(certificate)}" in text and " р." in issued_on(certificate)
    assert f"/uk/verify/{certificate.verification_code}/" in text.replace("\n", "")
    fonts = {
        font["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].get_object().values()
        if "/BaseFont" in font.get_object()
    }
    assert fonts and all("DejaVu" in str(font) for font in fonts)  # no fallback font for ґ, ї, є or і


def test_credential_display_texts_are_ukrainian(client, certificate):
    client.force_login(certificate.holder)
    credential = json.loads(client.get(f"/certificates/{certificate.serial}/credential.json").content)
    achievement = credential["credentialSubject"]["achievement"]
    assert credential["name"] == achievement["name"] == "Вуличний юрист"
    assert achievement["description"] == "Документує порушення прав і допомагає рівним."
    assert achievement["criteria"]["narrative"] == "пройшла навчання вуличних юристів"


def test_verification_page_in_ukrainian(client, certificate):
    html = client.get(f"/uk/verify/{certificate.verification_code}/").content.decode()
    assert '<html lang="uk"' in html
    assert "Цей сертифікат видали ми, і його не відкликано." in html
    assert "Вуличний юрист" in html and issued_on(certificate) in html
