"""Thin views: parse input, call a service or a selector, render. Every answer is `private, no-store` (never_cache):
no proxy, browser cache or service worker keeps a record."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses.models import CoursePage
from courses.services import trainer_course_ids
from lms import roles
from lms.decorators import staff_view
from lms.forms import save_review
from lms.text import render_markdown

from . import selectors, services
from .forms import (
    AttachmentForm,
    CaseRecordForm,
    ChecklistFormSet,
    NewPracticeForm,
    PracticeForm,
    ReviewForm,
    ServiceFormSet,
    VisitForm,
)
from .models import Attachment, ChecklistAnswer, ChecklistItem, Practice

TEMPLATES = {"cases": "practice/case_form.html", "visits": "practice/visit_form.html"}


def private(view):
    """Signed in, and never cached anywhere."""
    return functools.wraps(view)(never_cache(login_required(view)))


def _record(kind: str, pk: int):
    model = services.RECORD_MODELS[kind]
    related = ["practice", "author", "reviewer", *(["service"] if kind == "visits" else [])]
    return get_object_or_404(model.objects.select_related(*related), pk=pk)


def _viewable_record(request, kind: str, pk: int):
    record = _record(kind, pk)
    if not services.record_can_view(user=request.user, record=record):
        raise Http404  # do not confirm that someone else's record exists
    return record


def _others_record(request, kind: str, pk: int, **kwargs) -> bool:
    """For staff_view: true unless the record is the signed-in person's own."""
    model = services.RECORD_MODELS[kind]
    return model.objects.filter(pk=pk).values_list("author_id", flat=True).first() != request.user.pk


def _others_file(request, pk: int) -> bool:
    attachment = Attachment.objects.filter(pk=pk).select_related("case_record", "visit").first()
    return attachment is None or attachment.record.author_id != request.user.pk


def _error_dict(error: ValidationError) -> dict:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def _add_errors(form, error: ValidationError) -> None:
    for field, texts in _error_dict(error).items():
        form.add_error(field if field in form.fields else None, texts)


# --- Trainee pages ------------------------------------------------------------------------------------------------


@private
@require_GET
def home_view(request):
    overview = selectors.learner_overview(user=request.user)
    is_trainer = roles.may_act_as_trainer(request.user)
    return render(request, "practice/home.html", {"overview": overview, "is_trainer": is_trainer})


def _visit_form(request, *, practice, record=None, data=None):
    items = list(ChecklistItem.objects.filter(practice=practice))
    scores = {}
    if record is not None:
        scores = {a.item_id: a.score for a in ChecklistAnswer.objects.filter(visit=record)}
    return VisitForm(data, instance=record, practice=practice, items=items, scores=scores)


def _form_for(request, kind, *, practice, record=None, data=None):
    if kind == "cases":
        return CaseRecordForm(data, instance=record)
    return _visit_form(request, practice=practice, record=record, data=data)


def _save(request, kind, form, *, practice=None, record=None, submit=False):
    """Call the service with the form's data; the saved record, or None with the errors on the form."""
    try:
        if kind == "cases":
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            return services.case_save(user=request.user, data=data, practice=practice, record=record, submit=submit)
        return services.visit_save(
            user=request.user,
            data=form.record_data(),
            scores=form.scores(),
            practice=practice,
            record=record,
            submit=submit,
        )
    except ValidationError as error:
        _add_errors(form, error)
        return None


def _handle_post(request, kind, *, practice, record=None):
    """The record form posted: autosave (JSON), save a draft, or save and submit. Returns (response, form, files,
    record): a response to send, or the bound forms to render again with their errors, for `record` (the draft just
    saved, when there is one)."""
    # Bound to a copy of the instance, so that a failed validation never changes the record the page shows.
    instance = type(record).objects.get(pk=record.pk) if record is not None else None
    form = _form_for(request, kind, practice=practice, record=instance, data=request.POST)
    autosave = request.POST.get("autosave") == "1"
    files = AttachmentForm(request.POST, request.FILES)
    if not (form.is_valid() and files.is_valid()):
        if autosave:
            return (
                JsonResponse({"saved": False, "error": _("Not saved: check the form.")}, status=400),
                form,
                files,
                record,
            )
        return None, form, files, record
    saved = _save(request, kind, form, practice=practice, record=record)
    if saved is None:
        if autosave:
            return (
                JsonResponse({"saved": False, "error": _("Not saved: check the form.")}, status=400),
                form,
                files,
                record,
            )
        return None, form, files, record
    url = reverse("practice:record", args=[kind, saved.pk])
    if autosave:
        return JsonResponse({"saved": True, "url": url}), form, files, saved
    upload = files.cleaned_data.get("file")
    if upload:
        try:
            services.attachment_add(user=request.user, record=saved, upload=upload)
        except ValidationError as error:
            # The text is saved, the file is not: say why on the record's page.
            messages.error(request, " ".join(error.messages))
            return redirect(url), form, files, saved
    if "submit" in request.POST:
        form = _form_for(request, kind, practice=saved.practice, record=saved, data=request.POST)
        form.is_valid()
        if _save(request, kind, form, record=saved, submit=True) is None:
            messages.warning(request, _("Your draft is saved, but it cannot be submitted yet: see below."))
            return None, form, files, saved
        messages.success(request, _("Submitted. Your trainer will review it."))
        return redirect("practice:home"), form, files, saved
    messages.success(request, _("Draft saved. You can finish it later."))
    return redirect(url), form, files, saved


def _render_form(request, kind, *, practice, record, form, files, status=200):
    context = {
        "kind": kind,
        "practice": practice,
        "record": record,
        "form": form,
        "files": files,
        "attachments": list(record.attachments.all()) if record is not None else [],
        "instructions": render_markdown(practice.instructions),
    }
    return render(request, TEMPLATES[kind], context, status=status)


@private
@require_http_methods(["GET", "POST"])
def record_new_view(request, practice_id: int, kind: str):
    practice = get_object_or_404(Practice, pk=practice_id)
    model = services.RECORD_MODELS[kind]
    if practice.kind != services.PRACTICE_KIND_OF_MODEL[model]:
        raise Http404
    if not services.practice_can_record(user=request.user, practice=practice):
        raise PermissionDenied(_("Enrol in the course to take part in its practice."))
    if request.method == "POST":
        response, form, files, record = _handle_post(request, kind, practice=practice)
        if response is not None:
            return response
        return _render_form(request, kind, practice=practice, record=record, form=form, files=files, status=400)
    form = _form_for(request, kind, practice=practice)
    return _render_form(request, kind, practice=practice, record=None, form=form, files=AttachmentForm())


@staff_view(others_data=_others_record)
@private
@require_http_methods(["GET", "POST"])
def record_view(request, kind: str, pk: int):
    record = _viewable_record(request, kind, pk)
    editable = services.record_can_edit(user=request.user, record=record)
    if request.method == "POST":
        if not editable:
            if request.POST.get("autosave") == "1":
                return JsonResponse({"saved": False, "errors": _("This record can no longer change.")}, status=409)
            messages.error(request, _("This record is waiting for a review or already accepted: it cannot change now."))
            return redirect(request.path)
        response, form, files, record = _handle_post(request, kind, practice=record.practice, record=record)
        if response is not None:
            return response
        return _render_form(request, kind, practice=record.practice, record=record, form=form, files=files, status=400)
    if editable:
        form = _form_for(request, kind, practice=record.practice, record=record)
        return _render_form(request, kind, practice=record.practice, record=record, form=form, files=AttachmentForm())
    return render(request, "practice/record.html", _detail_context(record, kind))


def _detail_context(record, kind: str) -> dict:
    answers = []
    if kind == "visits":
        answers = list(ChecklistAnswer.objects.filter(visit=record).select_related("item").order_by("item__order"))
    return {
        "record": record,
        "kind": kind,
        "attachments": list(record.attachments.all()),
        "answers": answers,
        "narrative": render_markdown(getattr(record, "narrative", "") or getattr(record, "notes", "")),
    }


@private
@require_POST
def record_delete_view(request, kind: str, pk: int):
    record = _viewable_record(request, kind, pk)
    try:
        services.record_delete_draft(user=request.user, record=record)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("practice:record", kind, pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("practice:home")


@staff_view(others_data=_others_file)
@private
@require_GET
def attachment_view(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("case_record__practice", "visit__practice"), pk=pk)
    try:
        data = services.attachment_read(user=request.user, attachment=attachment)
    except (PermissionDenied, ValidationError) as error:
        raise Http404 from error
    response = HttpResponse(data, content_type="application/octet-stream")
    response["Content-Disposition"] = _disposition(attachment)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _disposition(attachment) -> str:
    from django.utils.http import content_disposition_header

    return content_disposition_header(as_attachment=True, filename=attachment.original_name or "file")


@private
@require_POST
def attachment_delete_view(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("case_record", "visit"), pk=pk)
    record = attachment.record
    if not services.record_can_view(user=request.user, record=record):
        raise Http404
    try:
        services.attachment_delete(user=request.user, attachment=attachment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The file was removed."))
    return redirect("practice:record", services.record_kind(record), record.pk)


# --- Trainer pages ------------------------------------------------------------------------------------------------


def _require_trainer(request) -> None:
    if not roles.may_act_as_trainer(request.user):
        raise PermissionDenied


@staff_view
@private
@require_GET
def review_queue_view(request):
    _require_trainer(request)
    queue = selectors.review_queue(practices=services.trainer_practices(user=request.user))
    return render(request, "practice/review_queue.html", {"queue": queue})


@staff_view
@private
@require_http_methods(["GET", "POST"])
def review_view(request, kind: str, pk: int):
    record = _record(kind, pk)
    if not services.record_can_view(user=request.user, record=record):
        raise PermissionDenied
    if not services.record_can_review(user=request.user, record=record):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        saved = save_review(
            request,
            form,
            lambda data: services.record_review(
                reviewer=request.user, record=record, accept=data["decision"] == "accept", comment=data["comment"]
            ),
            done_url=reverse("practice:review_queue"),
        )
        if saved is not None:
            return saved
    context = {**_detail_context(record, kind), "form": form, "reviewing": True}
    return render(request, "practice/record.html", context, status=400 if request.method == "POST" else 200)


@staff_view
@private
@require_http_methods(["GET", "POST"])
def manage_list_view(request):
    _require_trainer(request)
    courses = CoursePage.objects.filter(pk__in=trainer_course_ids(user=request.user)).select_related("locale")
    form = NewPracticeForm(request.POST or None, courses=courses)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                practice = services.practice_create(
                    user=request.user,
                    course=form.cleaned_data["course"],
                    kind=form.cleaned_data["kind"],
                    title=form.cleaned_data["title"],
                    instructions=form.cleaned_data["instructions"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("The practice was created."))
                return redirect("practice:manage", practice.pk)
        status = 400
    practices = services.trainer_practices(user=request.user).order_by("title", "pk")
    return render(request, "practice/manage_list.html", {"practices": practices, "form": form}, status=status)


@staff_view
@private
@require_http_methods(["GET", "POST"])
def manage_view(request, practice_id: int):
    practice = get_object_or_404(Practice, pk=practice_id)
    if not services.practice_is_trainer(user=request.user, practice=practice):
        raise PermissionDenied
    data = request.POST or None
    form = PracticeForm(data, instance=practice)
    monitoring = practice.kind == Practice.Kind.MONITORING
    service_set = ServiceFormSet(data, instance=practice, prefix="services") if monitoring else None
    item_set = ChecklistFormSet(data, instance=practice, prefix="items") if monitoring else None
    status = 200
    if request.method == "POST":
        forms_valid = form.is_valid() and all(f.is_valid() for f in (service_set, item_set) if f is not None)
        if forms_valid:
            try:
                services.practice_update(
                    user=request.user,
                    practice=practice,
                    form=form,
                    services_formset=service_set,
                    items_formset=item_set,
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("practice:manage", practice.pk)
        status = 400
    context = {"practice": practice, "form": form, "service_set": service_set, "item_set": item_set}
    return render(request, "practice/manage.html", context, status=status)
