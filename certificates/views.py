"""Thin public views: my progression, downloads, public verification, and the issuer's published keys."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lms.context_processors import language_links
from lms.decorators import not_own, staff_view

from . import credentials, pagecache, pdf, selectors, services, signing
from .forms import NamePreferenceForm, VerifyForm
from .models import Certificate

NOINDEX = "noindex, nofollow, noarchive"


def _progress_context(request, form) -> dict:
    certificates = selectors.certificates_of(request.user)
    return {
        "progress": selectors.user_progress(request.user, certificates),
        "certificates": [(c, selectors.linkedin_url(c)) for c in certificates],
        "withdrawable": [c for c in certificates if not c.is_revoked],
        "form": form,
        "printed_name": selectors.printed_name_for(request.user),
    }


@login_required
def progress_view(request):
    form = NamePreferenceForm(instance=selectors.name_preference(request.user))
    return render(request, "certificates/progress.html", _progress_context(request, form))


@login_required
@require_POST
def name_view(request):
    form = NamePreferenceForm(request.POST, instance=selectors.name_preference(request.user))
    if form.is_valid():
        services.name_preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Certificates issued from now on will carry this name."))
        return redirect("certificates:progress")
    return render(request, "certificates/progress.html", _progress_context(request, form), status=400)


def _downloadable(request, serial):
    certificate = selectors.certificate_for_owner_or_certifier(request.user, serial)
    if certificate is None:
        raise Http404
    return certificate


@staff_view(others_data=not_own(Certificate, "holder_id"))
@login_required
@require_GET
def pdf_view(request, serial):
    certificate = _downloadable(request, serial)
    response = HttpResponse(pdf.render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.serial}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_view(others_data=not_own(Certificate, "holder_id"))
@login_required
@require_GET
def credential_view(request, serial):
    certificate = _downloadable(request, serial)
    body = json.dumps(credentials.signed_credential(certificate), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/ld+json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.serial}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def withdraw_view(request, serial):
    certificate = _downloadable(request, serial)
    try:
        services.certificate_withdraw(user=request.user, certificate=certificate)
    except PermissionDenied as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The certificate was withdrawn. The verification page now shows it as revoked."))
    return redirect("certificates:progress")


def _public(response):
    response["X-Robots-Tag"] = NOINDEX
    response["Cache-Control"] = "no-store"
    return response


def _neutral_language_links() -> list[dict]:
    """Language links to the blank form rather than to the requested URL, so a miss never echoes the code."""
    return language_links(reverse("certificates:verify_form"))


def _facts(request, certificate) -> str:
    """What the certificate says (valid or revoked): the part of the page that differs between certificates."""
    linkedin_url = ""
    if not certificate.is_revoked and certificate.holder_id == request.user.pk:
        linkedin_url = selectors.linkedin_url(certificate)
    level_name = selectors.level_name(certificate.level_id)
    return pagecache.facts(pagecache.facts_context(certificate, level_name=level_name, linkedin_url=linkedin_url))


def _verification_response(request, certificate):
    """Valid and revoked share a template; every miss renders the very same page with the same status. An
    anonymous visitor gets the kept layout around the facts; the holder signed in, or a visitor with a message
    waiting, gets the page rendered for them."""
    if certificate is None:
        pagecache.record_failed_lookup(request)
        context = {"form": VerifyForm(), "language_links": _neutral_language_links()}
        return _public(render(request, "certificates/verify_not_found.html", context, status=404))
    facts = _facts(request, certificate)
    if _sees_the_public_page(request):
        return _public(HttpResponse(pagecache.public_page(request, certificate.verification_code, facts)))
    return _public(render(request, "certificates/verify.html", {"result": facts}))


def _limited(request):
    response = render(
        request, "certificates/verify_limited.html", {"language_links": _neutral_language_links()}, status=429
    )
    response["Retry-After"] = str(pagecache.FAILED_LOOKUPS.seconds)
    return _public(response)


@never_cache
@require_GET
def verify_view(request, code):
    def render():
        return _verification_response(request, selectors.certificate_by_code(code))

    if not _sees_the_public_page(request) or not selectors.CODE_PATTERN.fullmatch(code):
        return _limited(request) if pagecache.lookups_refused(request) else render()
    return _public(pagecache.verification_page(request, code, render=render, refused=lambda: _limited(request)))


def _sees_the_public_page(request) -> bool:
    """A visitor with no session and no pending messages sees the layout everyone sees. The holder signed in
    sees more (the LinkedIn link, their name in the header), and a flash message is for one person only."""
    return not request.COOKIES.keys() & {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name}


@never_cache
@require_GET
def verify_form_view(request):
    """Check by serial number and code (typed from the paper). GET, so the form works without a session."""
    if not request.GET:
        return _public(render(request, "certificates/verify_form.html", {"form": VerifyForm()}))
    if pagecache.lookups_refused(request):
        return _limited(request)
    form = VerifyForm(request.GET)
    if not form.is_valid():
        return _public(render(request, "certificates/verify_form.html", {"form": form}, status=400))
    certificate = selectors.certificate_by_serial_and_code(form.cleaned_data["serial"], form.cleaned_data["code"])
    return _verification_response(request, certificate)


def _json_ld(data, content_type="application/ld+json", cache_control="public, max-age=300"):
    response = JsonResponse(data, content_type=content_type, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # public keys and status are meant to be read by any verifier
    response["Cache-Control"] = cache_control
    return response


@require_GET
def did_view(request):
    return _json_ld(signing.did_document(), content_type="application/did+ld+json")


@require_GET
def issuer_view(request):
    return _json_ld(
        {
            "@context": [credentials.CREDENTIALS_V2, credentials.OPEN_BADGES_V3],
            **credentials.issuer_profile(),
            "verificationMethod": signing.did_document()["verificationMethod"],
        }
    )


@require_GET
def status_list_view(request):
    # No shared or browser cache may answer for it: a revoked credential must read revoked at once (issue 18).
    return _json_ld(
        credentials.status_list_credential(), content_type="application/vc+ld+json", cache_control="no-cache"
    )
