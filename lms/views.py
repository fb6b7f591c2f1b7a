"""Thin views of the core app: dashboard, account settings, data export, account deletion, privacy page."""

import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import dashboard, services
from .forms import DeleteAccountForm, ProfileForm
from .languages import set_language_cookie
from .middleware import CLEAR_EVERYTHING, clear_site_data


@login_required
def dashboard_view(request):
    panels = []
    for panel in dashboard.panels():
        context = panel.get_context(request)
        if context is not None:
            panels.append({"template": panel.template_name, "context": context, "key": panel.key})
    return render(request, "lms/dashboard.html", {"panels": panels})


@login_required
@require_http_methods(["GET", "POST"])
def account_view(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **{f: form.cleaned_data[f] for f in form.Meta.fields})
        language = request.user.preferred_language
        with translation.override(language):
            messages.success(request, _("Your settings were saved."))
            response = redirect(reverse("account"))
        set_language_cookie(response, language)
        return response
    return render(request, "lms/account.html", {"form": form})


@login_required
def export_view(request):
    """Download my data: one JSON file with everything the platform holds on the signed-in person."""
    data = services.user_export_data(user=request.user)
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete_account_view(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.user_delete(user=user, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_error("password", error.message_dict.get("password", error.messages))
        else:
            logout(request)  # which also sends Clear-Site-Data: "cache", "storage" (lms.middleware.clear_on_sign_out)
            messages.success(request, _("Your account and your data were deleted."))
            return redirect("/")
    return render(request, "lms/delete_account.html", {"form": form})


@csrf_exempt  # see docs/privacy.md, "Quick exit": a stale token must never keep someone on the page
@never_cache
@require_http_methods(["GET", "POST"])
def quick_exit_view(request):
    """POST (the "Quick exit" button on every page): sign out, tell the browser to forget everything this site
    left on it, and leave for the neutral page. GET: the neutral page itself, a blank "New tab" that names nothing."""
    if request.method == "POST":
        logout(request)
        clear_site_data(request, CLEAR_EVERYTHING)
        return HttpResponseRedirect(reverse("quick_exit"), status=303)
    response = render(request, "lms/neutral.html")
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def privacy_view(request):
    return render(request, "lms/privacy.html")


def healthz(request):
    return JsonResponse({"status": "ok"})


_SW_LANGUAGES_LINE = re.compile(rb"^const LANGUAGE_PREFIXES = .*;$", re.MULTILINE)


def _service_worker_source() -> bytes:
    """sw.js with the URL prefixes of settings.LANGUAGES (all but the default, which has none) written in."""
    prefixes = tuple(f"/{code}" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    return _service_worker_with(prefixes)


@lru_cache(maxsize=4)
def _service_worker_with(prefixes: tuple[str, ...]) -> bytes:
    path = finders.find("frontend/sw.js")
    if path:
        source = Path(path).read_bytes()
    else:
        with staticfiles_storage.open("frontend/sw.js") as handle:
            source = handle.read()
    line = b"const LANGUAGE_PREFIXES = " + json.dumps(list(prefixes)).encode() + b";"
    return _SW_LANGUAGES_LINE.sub(lambda _match: line, source, count=1)


def service_worker(request):
    """The service worker must be served from the root so that its scope covers every page."""
    response = HttpResponse(_service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def web_manifest(request):
    """Lets a learner add the platform to the home screen; start at the dashboard."""
    manifest = {
        "name": str(_("Community Learning")),
        "short_name": str(_("Learning")),
        "start_url": reverse("dashboard"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#07513a",
        "lang": translation.get_language(),
        "icons": [
            {"src": static("frontend/icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("frontend/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("frontend/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def offline_view(request):
    return render(request, "lms/offline.html")
