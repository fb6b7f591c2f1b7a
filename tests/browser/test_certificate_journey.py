"""A certifier issues a certificate from the queue; the learner downloads the PDF; the public verification page
(the QR code's address) says valid; after the certifier revokes it, the same page says revoked."""

import io
import re

from playwright.sync_api import expect
from pypdf import PdfReader

from .conftest import log_in


def test_certifier_issues_the_holder_downloads_anyone_verifies_then_it_is_revoked(new_context, demo_server):
    certifier = new_context(width=1280).new_page()
    log_in(certifier, "certifier")
    certifier.goto("/admin/certification/")
    row = certifier.locator("tr", has_text="@advocate")
    expect(row).to_have_count(1)
    row.locator("form[action*='/issue/'] button").click()
    certifier.wait_for_load_state()
    expect(certifier.locator("tr", has_text="@advocate")).to_have_count(0)

    holder = new_context().new_page()
    log_in(holder, "advocate")
    holder.goto("/certificates/")
    pdf_link = holder.locator("a[href$='/certificate.pdf']").first
    serial = re.search(r"/certificates/([^/]+)/certificate\.pdf", pdf_link.get_attribute("href")).group(1)
    verify_path = holder.locator("a[href^='/verify/']").first.get_attribute("href")
    response = holder.request.get(pdf_link.get_attribute("href"))  # with the holder's session
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
    assert serial in text
    assert verify_path.strip("/").split("/")[-1][:12] in text.replace("\n", "")

    public = new_context().new_page()  # anyone, not logged in, as after scanning the QR code
    public.goto(verify_path)
    expect(public.locator(".verify-status")).to_contain_text("Valid")
    assert public.locator("meta[name=robots]").get_attribute("content").startswith("noindex")

    certifier.goto("/admin/certification/certificates/")
    certifier.get_by_role("link", name=serial).click()
    certifier.locator("form[action*='/revoke/'] textarea, form[action*='/revoke/'] input[name=reason]").first.fill(
        "Issued to the wrong person"
    )
    certifier.locator("form[action*='/revoke/'] button[type=submit]").click()
    certifier.wait_for_load_state()

    public.reload()
    expect(public.locator(".verify-status")).to_contain_text("Revoked")
    expect(public.locator("body")).not_to_contain_text("Issued to the wrong person")  # the reason stays private
