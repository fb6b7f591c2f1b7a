"""The printable certificate: an HTML/CSS template rendered by WeasyPrint, with a QR code (segno, SVG) that
links to the public verification page. Rendered on demand in the certificate's language; DejaVu Sans (installed
with the system's fonts) covers Latin and Cyrillic."""

import io

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from .models import Certificate
from .signing import site_url


def verification_url(certificate: Certificate, *, language: str | None = None) -> str:
    with translation.override(language or certificate.language):
        return site_url() + reverse("certificates:verify", kwargs={"code": certificate.verification_code})


def qr_svg(url: str) -> str:
    """The QR code as an SVG element (no XML declaration), to embed in HTML."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", border=4, xmldecl=False, svgns=True, omitsize=True, dark="#1b1f23")
    return out.getvalue().decode("utf-8")


def render_pdf(certificate: Certificate) -> bytes:
    from weasyprint import HTML

    language = certificate.language
    url = verification_url(certificate)
    with translation.override(language):
        html = render_to_string(
            "certificates/pdf.html",
            {
                "certificate": certificate,
                "level_name": certificate.level.localized_name(language),
                "certificate_text": certificate.level.localized_certificate_text(language),
                "verify_url": url,
                "qr": mark_safe(qr_svg(url)),  # segno writes the SVG itself: no user input in it
                "language": language,
            },
        )
    return HTML(string=html, base_url=site_url(), url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    """The template embeds everything (inline SVG, system fonts): WeasyPrint must never fetch a URL."""
    raise ValueError(f"The certificate template may not load {url}")
