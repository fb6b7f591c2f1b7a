"""The certifiers' pages in the Wagtail admin: queue, issue, reject, bulk issue, issue outside the rules,
search, revoke, reissue and the audit log. Thin: every rule (including permissions) is in services.py."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms import roles
from lms.text import clean_typed_text

from . import eligibility, selectors, services
from .forms import BulkIssueForm, IssueOutsideRulesForm, ReasonForm, RevokeForm
from .models import AuditEntry, Certificate, QueueEntry

PAGE_SIZE = 50


def certifier_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.is_certifier(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _search_term(request) -> str:
    """The search box, as typed text: control characters (NUL: PostgreSQL text cannot hold it) and spaces trimmed."""
    return clean_typed_text(request.GET.get("q", ""))[:100]


def _errors(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else (str(error) or _("Not allowed."))


@certifier_required
def queue_view(request):
    search = _search_term(request)
    level_id = request.GET.get("level", "")
    level_id = int(level_id) if level_id.isdigit() else None
    levels = services.certifiable_levels(request.user)
    page = Paginator(selectors.queue_entries(levels=levels, search=search, level_id=level_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    entries = list(page.object_list)
    language = translation.get_language() or "en"  # the evidence in the certifier's language, as the page
    progress = eligibility.evaluate(user_ids=[e.user_id for e in entries], language=language) if entries else {}
    rows = [(entry, progress[entry.user_id].for_level(entry.level_id)) for entry in entries]
    return render(
        request,
        "certificates/admin/queue.html",
        {
            "page": page,
            "rows": rows,
            "search": search,
            "levels": levels,
            "level_id": level_id,
            "reject_form": ReasonForm(),
        },
    )


@certifier_required
@require_POST
def queue_issue_view(request, entry_id):
    entry = get_object_or_404(QueueEntry.objects.select_related("user", "level"), pk=entry_id)
    try:
        certificate = services.certificate_issue(actor=request.user, user=entry.user, level=entry.level)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request, _("Issued %(serial)s to %(user)s.") % {"serial": certificate.serial, "user": entry.user}
        )
    return redirect("certificates_admin:queue")


@certifier_required
@require_POST
def queue_reject_view(request, entry_id):
    entry = get_object_or_404(QueueEntry.objects.select_related("user", "level"), pk=entry_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reason for the rejection."))
        return redirect("certificates_admin:queue")
    try:
        services.queue_reject(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Rejected %(user)s for %(level)s.") % {"user": entry.user, "level": entry.level})
    return redirect("certificates_admin:queue")


@certifier_required
@require_POST
def queue_bulk_issue_view(request):
    pending = selectors.queue_entries(levels=services.certifiable_levels(request.user))
    form = BulkIssueForm(request.POST, entry_ids=pending.values_list("pk", flat=True))
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(form.errors["entries"])))
        return redirect("certificates_admin:queue")
    result = services.certificate_bulk_issue(
        actor=request.user, entries=list(pending.filter(pk__in=form.cleaned_data["entries"]))
    )
    if result.issued:
        messages.success(request, _("Issued %(count)s certificates.") % {"count": len(result.issued)})
    for entry, reason in result.refused:
        messages.error(request, f"{entry.user} · {entry.level}: {reason}")
    return redirect("certificates_admin:queue")


@certifier_required
@require_POST
def queue_refresh_view(request):
    services.progression_refresh()
    messages.success(request, _("Everyone's progress was checked again."))
    return redirect("certificates_admin:queue")


@certifier_required
def issue_outside_rules_view(request):
    form = IssueOutsideRulesForm(request.POST or None, levels=services.certifiable_levels(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            certificate = services.certificate_issue(
                actor=request.user,
                user=form.user,
                level=form.cleaned_data["level"],
                outside_rules_reason=form.cleaned_data["outside_rules_reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Issued %(serial)s.") % {"serial": certificate.serial})
            return redirect("certificates_admin:certificate", certificate.pk)
    return render(request, "certificates/admin/issue.html", {"form": form}, status=400 if form.errors else 200)


@certifier_required
def certificates_view(request):
    search = _search_term(request)
    page = Paginator(selectors.certificate_search(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/admin/certificates.html", {"page": page, "search": search})


@certifier_required
def certificate_view(request, pk):
    certificate = get_object_or_404(Certificate.objects.select_related("level", "holder", "issued_by"), pk=pk)
    audit = list(certificate.audit_entries.select_related("actor"))
    return render(
        request,
        "certificates/admin/certificate.html",
        {
            "certificate": certificate,
            "revoke_form": RevokeForm(),
            "reissue_form": ReasonForm(),
            "audit": audit,
            # An empty issuer is an automatic issue, or a certifier who has since deleted their account.
            "issued_automatically": any(entry.action == AuditEntry.Action.AUTO_ISSUE for entry in audit),
            "may_certify": services.may_certify(request.user, certificate.level),
        },
    )


@certifier_required
@require_POST
def certificate_revoke_view(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reason for the revocation."))
        return redirect("certificates_admin:certificate", pk)
    try:
        services.certificate_revoke(
            actor=request.user,
            certificate=certificate,
            reason=form.cleaned_data["reason"],
            public=form.cleaned_data["public"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Revoked %(serial)s.") % {"serial": certificate.serial})
    return redirect("certificates_admin:certificate", pk)


@certifier_required
@require_POST
def certificate_reissue_view(request, pk):
    certificate = get_object_or_404(Certificate, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reason for the reissue."))
        return redirect("certificates_admin:certificate", pk)
    try:
        new = services.certificate_reissue(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        return redirect("certificates_admin:certificate", pk)
    messages.success(request, _("Reissued as %(serial)s.") % {"serial": new.serial})
    return redirect("certificates_admin:certificate", new.pk)


@certifier_required
def audit_view(request):
    search = _search_term(request)
    page = Paginator(selectors.audit_log(search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certificates/admin/audit.html", {"page": page, "search": search})
