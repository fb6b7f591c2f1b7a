"""The certifiers' pages in the Wagtail admin. The queue, the certificates and the audit log are Wagtail listings
(`IndexView`s with search, django-filter filters and CSV/XLSX export, registered as viewsets in wagtail_hooks.py);
issue, reject, bulk issue, issue outside the rules, a certificate's page, revoke and reissue are function views.
Thin: every rule (including permissions) is in services.py."""

import datetime
from functools import wraps

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.permission_policies.base import BasePermissionPolicy

from lms import roles

from . import eligibility, selectors, services
from .forms import BulkIssueForm, IssueOutsideRulesForm, ReasonForm, RevokeForm
from .models import AuditEntry, Certificate, Level, QueueEntry

QUEUE = "certificates_queue:index"


def certifier_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.is_certifier(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _errors(error: Exception) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else (str(error) or _("Not allowed."))


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
    return redirect(QUEUE)


@certifier_required
@require_POST
def queue_reject_view(request, entry_id):
    entry = get_object_or_404(QueueEntry.objects.select_related("user", "level"), pk=entry_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a reason for the rejection."))
        return redirect(QUEUE)
    try:
        services.queue_reject(actor=request.user, entry=entry, reason=form.cleaned_data["reason"])
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Rejected %(user)s for %(level)s.") % {"user": entry.user, "level": entry.level})
    return redirect(QUEUE)


@certifier_required
@require_POST
def queue_bulk_issue_view(request):
    pending = selectors.queue_entries(levels=services.certifiable_levels(request.user))
    form = BulkIssueForm(request.POST, entry_ids=pending.values_list("pk", flat=True))
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(form.errors["entries"])))
        return redirect(QUEUE)
    result = services.certificate_bulk_issue(
        actor=request.user, entries=list(pending.filter(pk__in=form.cleaned_data["entries"]))
    )
    if result.issued:
        messages.success(request, _("Issued %(count)s certificates.") % {"count": len(result.issued)})
    for entry, reason in result.refused:
        messages.error(request, f"{entry.user} · {entry.level}: {reason}")
    return redirect(QUEUE)


@certifier_required
@require_POST
def queue_refresh_view(request):
    services.progression_refresh()
    messages.success(request, _("Everyone's progress was checked again."))
    return redirect(QUEUE)


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


# --- The certifiers' listings: Wagtail IndexViews (search, filters, CSV/XLSX export), registered in wagtail_hooks --


class CertifierListingPolicy(BasePermissionPolicy):
    """Certifiers (and superusers: `roles.is_certifier`) read the queue, the certificates and the audit log; nobody
    adds, changes or deletes through a listing (every decision is a service: issue, reject, revoke, reissue)."""

    def user_has_permission(self, user, action):
        return action == "view" and roles.is_certifier(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and roles.is_certifier(user)

    def users_with_any_permission(self, actions):
        users = get_user_model().objects.filter(is_active=True)
        if "view" not in actions:
            return users.none()
        return users.filter(Q(is_superuser=True) | Q(groups__name=roles.CERTIFIERS)).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


def spreadsheet_text(value) -> str:
    """Text for a CSV cell that a spreadsheet will not run: a leading = + - @ (or a tab or a return) would be read as
    a formula, so it is quoted. Wagtail's XLSX export stores such text as text already."""
    text = force_str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _when(value, fmt: str = "SHORT_DATETIME_FORMAT") -> str:
    return date_format(localtime(value), fmt) if value else ""


class CertifierIndexView(IndexView):
    """What the three listings share: the certifiers' permission, 50 rows a page, the ORM's search on
    `search_fields` (these models are not in Wagtail's search index), exports that are never cached and never run
    a formula, and the Certification links above the listing."""

    any_permission_required = ["view"]
    paginate_by = 50
    search_backend_name = None
    template_name = "certificates/admin/listing.html"
    custom_value_preprocess = {
        **IndexView.custom_value_preprocess,
        datetime.datetime: {
            **IndexView.custom_value_preprocess[datetime.datetime],
            IndexView.FORMAT_CSV: lambda value: localtime(value).strftime("%Y-%m-%d %H:%M"),
        },
        str: {IndexView.FORMAT_CSV: spreadsheet_text},
    }

    @cached_property
    def permission_policy(self):
        return CertifierListingPolicy(self.model)

    def get_paginator(self, *args, **kwargs):
        """The count under the listing names the rows as the view does ("2 audit entries", not the model's)."""
        paginator = super().get_paginator(*args, **kwargs)
        paginator.verbose_name, paginator.verbose_name_plural = self.verbose_name, self.verbose_name_plural
        return paginator

    def get_filename(self):
        return f"{self.export_filename}-{timezone.localdate():%Y%m%d}"

    def as_spreadsheet(self, queryset, spreadsheet_format):
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        response["Cache-Control"] = "private, no-store"  # people's names and decisions
        return response

    def to_row_dict(self, item):
        return {field: value for field, value in zip(self.list_export, self.export_row(item), strict=True)}

    def export_row(self, item) -> list:
        raise NotImplementedError


class CellColumn(Column):
    """A column whose cell is one of our templates (certificates/admin/cells/)."""

    def __init__(self, name, template: str, **kwargs):
        super().__init__(name, **kwargs)
        self.cell_template_name = f"certificates/admin/cells/{template}.html"

    def get_cell_context_data(self, instance, parent_context):
        """Cells hold POST forms (issue, reject): Wagtail renders a cell without the page's CSRF token."""
        context = super().get_cell_context_data(instance, parent_context)
        return {**context, "csrf_token": get_token(context["request"])}


def _certifiable_levels(request):
    return services.certifiable_levels(request.user) if request else Level.objects.none()


class QueueFilterSet(WagtailFilterSet):
    level = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Level"), queryset=_certifiable_levels, empty_label=gettext_lazy("All levels")
    )

    class Meta:
        model = QueueEntry
        fields = ["level"]


class QueueIndexView(CertifierIndexView):
    """The people waiting for a decision on a level this certifier may issue, with the evidence of each (read for
    the page's rows only), to issue, reject or tick for a bulk issue."""

    page_title = gettext_lazy("Certification queue")
    verbose_name = gettext_lazy("person waiting")
    verbose_name_plural = gettext_lazy("people waiting")
    template_name = "certificates/admin/queue.html"
    results_template_name = "certificates/admin/queue_results.html"
    filterset_class = QueueFilterSet
    list_export = ["username", "name", "level", "eligible_since"]
    export_headings = {
        "username": gettext_lazy("Username"),
        "name": gettext_lazy("Name"),
        "level": gettext_lazy("Level"),
        "eligible_since": gettext_lazy("Eligible since"),
    }

    def get_base_queryset(self):
        return selectors.queue_entries(levels=services.certifiable_levels(self.request.user))

    @cached_property
    def columns(self):
        return [
            CellColumn("select", "select", label=gettext_lazy("Select")),
            CellColumn("user", "person", label=gettext_lazy("Person"), sort_key="user__username"),
            Column("level", accessor="level.name", label=gettext_lazy("Level"), sort_key="level__sort_order"),
            CellColumn("evidence", "evidence", label=gettext_lazy("Evidence")),
            CellColumn("decision", "decision", label=gettext_lazy("Decision")),
        ]

    def get_table(self, object_list):
        entries = list(object_list)
        language = translation.get_language() or "en"  # the evidence in the certifier's language, as the page
        progress = eligibility.evaluate(user_ids=[e.user_id for e in entries], language=language) if entries else {}
        for entry in entries:
            entry.progress = progress[entry.user_id].for_level(entry.level_id)
        return super().get_table(entries)

    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return super().no_results_message
        return _("Nobody is waiting for a decision.")

    def export_row(self, entry):
        return [entry.user.username, entry.user.public_name, entry.level.name, entry.eligible_since]


class CertificateStatus(django_filters.ChoiceFilter):
    def filter(self, queryset, value):
        if value == "valid":
            return queryset.filter(revoked_at__isnull=True)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class CertificateFilterSet(WagtailFilterSet):
    level = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Level"), queryset=Level.objects.all(), empty_label=gettext_lazy("All levels")
    )
    status = CertificateStatus(
        label=gettext_lazy("Status"),
        choices=[("valid", gettext_lazy("Valid")), ("revoked", gettext_lazy("Revoked"))],
        empty_label=gettext_lazy("All"),
        widget=forms.RadioSelect,
    )
    issued_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("Issued on"), widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = ["level", "status", "issued_at"]


def _status(certificate) -> str:
    return _("Revoked") if certificate.is_revoked else _("Valid")


class CertificateIndexView(CertifierIndexView):
    page_title = gettext_lazy("Certificates")
    verbose_name = gettext_lazy("certificate")
    verbose_name_plural = gettext_lazy("certificates")
    filterset_class = CertificateFilterSet
    list_export = ["serial", "holder_name", "username", "level", "issued_at", "status", "revoked_at"]
    export_headings = {
        "serial": gettext_lazy("Serial number"),
        "holder_name": gettext_lazy("Name as printed"),
        "username": gettext_lazy("Username"),
        "level": gettext_lazy("Level"),
        "issued_at": gettext_lazy("Issued on"),
        "status": gettext_lazy("Status"),
        "revoked_at": gettext_lazy("Revoked on"),
    }

    def get_base_queryset(self):
        return selectors.certificates_listed()

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "serial",
                label=gettext_lazy("Serial number"),
                sort_key="serial",
                get_url=lambda certificate: reverse("certificates_admin:certificate", args=[certificate.pk]),
            ),
            CellColumn("holder", "holder", label=gettext_lazy("Name as printed"), sort_key="holder_name"),
            Column("level", accessor="level.name", label=gettext_lazy("Level"), sort_key="level__sort_order"),
            Column(
                "issued_at",
                accessor=lambda c: _when(c.issued_at, "SHORT_DATE_FORMAT"),
                label=gettext_lazy("Issued on"),
                sort_key="issued_at",
            ),
            Column("status", accessor=_status, label=gettext_lazy("Status")),
        ]

    def export_row(self, certificate):
        return [
            certificate.serial,
            certificate.holder_name or _("(deleted account)"),
            certificate.holder.username if certificate.holder else "",
            certificate.level.name,
            certificate.issued_at,
            _status(certificate),
            certificate.revoked_at,
        ]


class AuditFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=gettext_lazy("Action"), choices=AuditEntry.Action.choices, empty_label=gettext_lazy("All")
    )
    level = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Level"), queryset=Level.objects.all(), empty_label=gettext_lazy("All levels")
    )
    created_at = django_filters.DateFromToRangeFilter(label=gettext_lazy("When"), widget=DateRangePickerWidget)

    class Meta:
        model = AuditEntry
        fields = ["action", "level", "created_at"]


def _actor(entry) -> str:
    if entry.actor:
        return entry.actor.public_name
    return _("automatic") if entry.action == AuditEntry.Action.AUTO_ISSUE else _("(deleted account)")


class AuditIndexView(CertifierIndexView):
    page_title = gettext_lazy("Audit log")
    verbose_name = gettext_lazy("audit entry")
    verbose_name_plural = gettext_lazy("audit entries")
    filterset_class = AuditFilterSet
    list_export = ["created_at", "action", "actor", "subject", "level", "certificate", "reason"]
    export_headings = {
        "created_at": gettext_lazy("When"),
        "action": gettext_lazy("Action"),
        "actor": gettext_lazy("By"),
        "subject": gettext_lazy("About"),
        "level": gettext_lazy("Level"),
        "certificate": gettext_lazy("Certificate"),
        "reason": gettext_lazy("Reason"),
    }

    def get_base_queryset(self):
        return selectors.audit_entries()

    @cached_property
    def columns(self):
        return [
            Column(
                "created_at", accessor=lambda e: _when(e.created_at), label=gettext_lazy("When"), sort_key="created_at"
            ),
            Column("action", accessor="get_action_display", label=gettext_lazy("Action"), sort_key="action"),
            Column("actor", accessor=_actor, label=gettext_lazy("By")),
            CellColumn("subject", "subject", label=gettext_lazy("About")),
            Column("level", accessor=lambda e: e.level.name if e.level else "", label=gettext_lazy("Level")),
            CellColumn("certificate", "certificate", label=gettext_lazy("Certificate")),
            Column("reason", accessor="reason_shown", label=gettext_lazy("Reason")),
        ]

    def export_row(self, entry):
        return [
            entry.created_at,
            entry.get_action_display(),
            _actor(entry),
            entry.subject.username if entry.subject else _("(deleted account)"),
            entry.level.name if entry.level else "",
            entry.certificate.serial if entry.certificate else "",
            entry.reason_shown,
        ]
