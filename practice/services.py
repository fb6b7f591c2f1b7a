"""Every operation of field practice that changes state, and the rules of who may see and do what.

The one rule for reading a record is `record_can_view` (its author, and the trainers of its course while they are in
the Trainers group, `courses.services.user_is_course_trainer`): the record page, its files, the review, the privacy
export and the admin all ask it. Nothing here writes a record's content into a log, an exception or a message.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, Enrollment
from courses.services import trainer_course_ids, user_is_course_trainer
from lms import roles
from lms.text import clean_typed_text

from . import crypto, signals, uploads
from .models import (
    Attachment,
    CaseRecord,
    ChecklistAnswer,
    ChecklistItem,
    MonitoredService,
    MonitoringVisit,
    Practice,
    RecordStatus,
)

logger = logging.getLogger(__name__)

RECORD_MODELS = {"cases": CaseRecord, "visits": MonitoringVisit}
KIND_OF_MODEL = {CaseRecord: "cases", MonitoringVisit: "visits"}
PRACTICE_KIND_OF_MODEL = {CaseRecord: Practice.Kind.CASES, MonitoringVisit: Practice.Kind.MONITORING}

# What a case record needs before it can be submitted (a draft may lack any of them).
CASE_REQUIRED = ("incident_date", "country", "city", "violation_type", "actor_kind", "narrative")
VISIT_REQUIRED = ("service", "visit_date")


def record_kind(record) -> str:
    return KIND_OF_MODEL[type(record)]


# --- Who may do what -----------------------------------------------------------------------------------------------


def _course_of(practice: Practice) -> CoursePage:
    return CoursePage(pk=practice.course_page_id, translation_key=practice.course_key)


def practice_is_trainer(*, user, practice: Practice) -> bool:
    """The practice's trainers: the trainers of its course, in any language, while in the Trainers group."""
    return user_is_course_trainer(user=user, course=_course_of(practice))


def practice_can_record(*, user, practice: Practice) -> bool:
    """The cohort: the learners enrolled in the practice's course (any language version of it)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return Enrollment.objects.filter(user=user, course_key=practice.course_key).exists()


def record_can_view(*, user, record) -> bool:
    """The one rule for reading a record, its files and its review: its author, or a trainer of its course once
    the author has submitted it (a draft, perhaps without the person's consent yet, is the author's alone)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if record.author_id is not None and record.author_id == user.pk:
        return True
    return record.status != RecordStatus.DRAFT and practice_is_trainer(user=user, practice=record.practice)


def record_can_review(*, user, record) -> bool:
    """A trainer of the record's course who is not its author (nobody reviews their own record)."""
    return record.author_id != user.pk and practice_is_trainer(user=user, practice=record.practice)


def record_can_edit(*, user, record) -> bool:
    return bool(user and user.is_authenticated and record.author_id == user.pk and record.is_editable)


def _require_view(user, record) -> None:
    if not record_can_view(user=user, record=record):
        raise PermissionDenied(_("You cannot open this record."))


def _require_edit(user, record) -> None:
    if not (user and user.is_authenticated and record.author_id == user.pk):
        raise PermissionDenied(_("Only the author can change this record."))
    if not record.is_editable:
        raise ValidationError(_("This record is waiting for a review or already accepted: it cannot change now."))


def trainer_practices(*, user):
    """The practices of the courses a person trains (every practice for a superuser)."""
    course_ids = trainer_course_ids(user=user)
    if not course_ids:
        return Practice.objects.none()
    keys = CoursePage.objects.filter(pk__in=course_ids).values("translation_key")
    return Practice.objects.filter(course_key__in=keys)


def learner_practices(*, user):
    """The practices of the courses a learner is enrolled in (any language version)."""
    if not (user and user.is_authenticated):
        return Practice.objects.none()
    keys = Enrollment.objects.filter(user=user).values("course_key")
    return Practice.objects.filter(course_key__in=keys)


# --- Practices, services and checklists (kept by the trainers) ----------------------------------------------------


def practice_create(*, user, course: CoursePage, kind: str, title: str, instructions: str = "") -> Practice:
    if not user_is_course_trainer(user=user, course=course):
        raise PermissionDenied(_("Only a trainer of this course can add a practice to it."))
    practice = Practice(
        course_page=course, kind=kind, title=clean_typed_text(title), instructions=clean_typed_text(instructions)
    )
    practice.full_clean()
    practice.save()
    return practice


@transaction.atomic
def practice_update(*, user, practice: Practice, form, services_formset=None, items_formset=None) -> Practice:
    """Save a trainer's changes to a practice and its services and checklist, all validated forms, in one go."""
    if not practice_is_trainer(user=user, practice=practice):
        raise PermissionDenied(_("Only a trainer of this course can change its practice."))
    formsets = [formset for formset in (services_formset, items_formset) if formset is not None]
    for formset in formsets:
        for deleted in formset.deleted_forms:
            if deleted.instance.pk:
                _check_deletable(deleted.instance, type(deleted.instance))
    form.save()
    for formset in formsets:
        formset.save()
    return practice


def _check_deletable(obj, model) -> None:
    if model is MonitoredService and MonitoringVisit.objects.filter(service=obj).exists():
        raise ValidationError(
            _("“%(name)s” has visits: close it for new visits instead of deleting it.") % {"name": obj.name}
        )
    if model is ChecklistItem and ChecklistAnswer.objects.filter(item=obj).exists():
        raise ValidationError(_("A question that visits have answered cannot be deleted."))


# --- Records: drafts, submission ----------------------------------------------------------------------------------


def _check_practice(user, practice: Practice, model) -> None:
    if practice.kind != PRACTICE_KIND_OF_MODEL[model]:
        raise ValidationError(_("This practice does not take this kind of record."))
    if not practice_can_record(user=user, practice=practice):
        raise PermissionDenied(_("Enrol in the course to take part in its practice."))


def _missing(record, required) -> dict:
    return {name: _("Needed to submit.") for name in required if getattr(record, name) in (None, "")}


@transaction.atomic
def case_save(*, user, data: dict, practice: Practice | None = None, record: CaseRecord | None = None,
              submit: bool = False) -> CaseRecord:  # fmt: skip
    """Create (with `practice`) or update (with `record`) the author's case record from validated form data; with
    `submit`, check it is complete and consented and send it for review."""
    if record is None:
        _check_practice(user, practice, CaseRecord)
        record = CaseRecord(author=user, practice=practice)
    else:
        record = CaseRecord.objects.select_for_update().select_related("practice").get(pk=record.pk)
        _require_edit(user, record)
        if not practice_can_record(user=user, practice=record.practice):
            raise PermissionDenied(_("Enrol in the course to take part in its practice."))
    for name, value in data.items():
        setattr(record, name, clean_typed_text(value) if isinstance(value, str) else value)
    if submit:
        errors = _missing(record, CASE_REQUIRED)
        if not record.consent_given:
            errors["consent_given"] = _("A case can be submitted only with the consent of the person.")
        if errors:
            raise ValidationError(errors)
        _mark_submitted(record)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def visit_save(*, user, data: dict, scores: dict[int, int | None], practice: Practice | None = None,
               record: MonitoringVisit | None = None, submit: bool = False) -> MonitoringVisit:  # fmt: skip
    """The same for a monitoring visit; `scores` maps checklist item ids of the practice to 0..3 or None (not
    observed). On submission every item needs an answer (a score or "not observed", which the form sends as None)."""
    if record is None:
        _check_practice(user, practice, MonitoringVisit)
        record = MonitoringVisit(author=user, practice=practice)
    else:
        record = MonitoringVisit.objects.select_for_update().select_related("practice").get(pk=record.pk)
        _require_edit(user, record)
        if not practice_can_record(user=user, practice=record.practice):
            raise PermissionDenied(_("Enrol in the course to take part in its practice."))
    service = data.get("service")
    if service is not None and service.practice_id != record.practice_id:
        raise ValidationError({"service": _("Choose a service of this practice.")})
    if service is not None and not service.active and service.pk != record.service_id:
        raise ValidationError({"service": _("This service is closed for new visits.")})
    items = {item.pk: item for item in ChecklistItem.objects.filter(practice_id=record.practice_id)}
    unknown = set(scores) - set(items)
    if unknown:
        raise ValidationError(_("The checklist changed: reload the page."))
    for value in scores.values():
        if value is not None and not 0 <= value <= 3:
            raise ValidationError(_("A score is from 0 to 3."))
    for name, value in data.items():
        setattr(record, name, clean_typed_text(value) if isinstance(value, str) else value)
    if submit:
        errors = _missing(record, VISIT_REQUIRED)
        answered = set(scores) | set(
            ChecklistAnswer.objects.filter(visit_id=record.pk).values_list("item_id", flat=True)
        )
        if set(items) - answered:
            errors["__all__"] = _("Answer every question of the checklist (or mark it “not observed”).")
        if errors:
            raise ValidationError(errors)
        _mark_submitted(record)
    record.full_clean()
    record.save()
    existing = {a.item_id: a for a in ChecklistAnswer.objects.filter(visit=record)}
    for item_id, score in scores.items():
        answer = existing.get(item_id)
        if answer is None:
            ChecklistAnswer.objects.create(visit=record, item_id=item_id, score=score)
        elif answer.score != score:
            answer.score = score
            answer.save(update_fields=["score"])
    return record


def _mark_submitted(record) -> None:
    record.status = RecordStatus.SUBMITTED
    record.submitted_at = timezone.now()


@transaction.atomic
def record_delete_draft(*, user, record) -> None:
    """The author throws away a draft (never a record that was submitted: it belongs to the review)."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    _require_edit(user, record)
    if record.status != RecordStatus.DRAFT:
        raise ValidationError(_("Only a draft can be deleted."))
    files = _attachment_files(record)
    record.delete()
    _delete_files_on_commit(files)


# --- Attachments ---------------------------------------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, user, record, upload) -> Attachment:
    """Clean, encrypt and store a photo or a PDF for a record its author may still change."""
    record = type(record).objects.select_for_update().get(pk=record.pk)
    _require_edit(user, record)
    if record.attachments.count() >= settings.PRACTICE_MAX_ATTACHMENTS:
        raise ValidationError(
            _("A record can have at most %(n)s files.") % {"n": settings.PRACTICE_MAX_ATTACHMENTS}, code="too_many"
        )
    clean = uploads.clean_upload(upload)
    name = clean_typed_text((upload.name or "").rsplit("/", 1)[-1])[-200:] or _("file")
    attachment = Attachment(
        **{"case_record" if isinstance(record, CaseRecord) else "visit": record},
        content_type=clean.content_type,
        size=len(clean.data),
        original_name=name,
    )
    attachment.file.save("upload.bin", ContentFile(crypto.encrypt_bytes(clean.data)), save=False)
    try:
        attachment.full_clean()
        attachment.save()
    except Exception:
        # Never leave a stored file that no row points to (it is ciphertext, but it is still someone's photo).
        attachment.file.storage.delete(attachment.file.name)
        raise
    type(record).objects.filter(pk=record.pk).update(updated_at=timezone.now())
    return attachment


@transaction.atomic
def attachment_delete(*, user, attachment: Attachment) -> None:
    record = attachment.record
    _require_edit(user, record)
    files = [(attachment.file.storage, attachment.file.name)]
    attachment.delete()
    _delete_files_on_commit(files)


def attachment_read(*, user, attachment: Attachment) -> bytes:
    """The plaintext of a file, for whoever may view its record."""
    _require_view(user, attachment.record)
    if not attachment.file:
        raise ValidationError(_("This file was erased."))
    with attachment.file.open("rb") as handle:
        return crypto.decrypt_bytes(handle.read())


def _attachment_files(record) -> list:
    return [(a.file.storage, a.file.name) for a in record.attachments.all() if a.file]


def _delete_files_on_commit(files) -> None:
    def delete():
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete)


# --- Review -------------------------------------------------------------------------------------------------------


@transaction.atomic
def record_review(*, reviewer, record, accept: bool, comment: str = ""):
    """A trainer of the record's course accepts it, or returns it to its author with a comment (required)."""
    model = type(record)
    record = model.objects.select_for_update().select_related("practice").get(pk=record.pk)
    if not record_can_review(user=reviewer, record=record):
        raise PermissionDenied(_("Only a trainer of this course can review its records."))
    comment = clean_typed_text(comment)
    if record.status != RecordStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted record can be reviewed."), code="not_submitted")
    if not accept and not comment:
        raise ValidationError(_("Say what should change."), code="comment_required")
    now = timezone.now()
    record.status = RecordStatus.ACCEPTED if accept else RecordStatus.RETURNED
    record.review_comment = comment
    record.reviewer = reviewer
    record.reviewed_at = now
    if accept:
        record.accepted_at = now
    record.full_clean()
    record.save()
    if accept:
        author = record.author
        transaction.on_commit(
            lambda: signals.record_accepted.send_robust(sender=model, record=record, user=author), robust=True
        )
    return record


# --- Erasure: retention and account deletion ----------------------------------------------------------------------


def record_erase(record, *, now=None) -> None:
    """Erase a record's identifying parts (its encrypted text and its files), keep its aggregate fields."""
    now = now or timezone.now()
    files = _attachment_files(record)
    record.attachments.all().delete()
    type(record).objects.filter(pk=record.pk).update(erased_at=now, **dict.fromkeys(record.encrypted_fields, ""))
    _delete_files_on_commit(files)


@transaction.atomic
def retention_erase_expired(*, now=None) -> int:
    """Erase the records accepted more than PRACTICE_RETENTION_MONTHS ago (30-day months); the number erased."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=30 * settings.PRACTICE_RETENTION_MONTHS)
    erased = 0
    for model in (CaseRecord, MonitoringVisit):
        for record in model.objects.filter(
            status=RecordStatus.ACCEPTED, accepted_at__lt=cutoff, erased_at__isnull=True
        ).prefetch_related("attachments"):
            record_erase(record, now=now)
            erased += 1
    logger.info("practice retention: %s records erased", erased)
    return erased


def privacy_export(user) -> dict:
    """The author's records in plaintext, for "Download my data"."""

    def common(record) -> dict:
        return {
            "id": record.pk,
            "practice": record.practice.title,
            "status": record.status,
            "created_at": record.created_at,
            "submitted_at": record.submitted_at,
            "accepted_at": record.accepted_at,
            "erased_at": record.erased_at,
            "review_comment": record.review_comment,
            "files": [
                {"name": a.original_name, "content_type": a.content_type, "size": a.size}
                for a in record.attachments.all()
            ],
        }

    cases = CaseRecord.objects.filter(author=user).select_related("practice").prefetch_related("attachments")
    visits = (
        MonitoringVisit.objects.filter(author=user)
        .select_related("practice", "service")
        .prefetch_related("attachments", "answers__item")
    )
    return {
        "case_records": [
            {
                **common(r),
                "incident_date": r.incident_date,
                "country": r.country,
                "city": r.city,
                "place_detail": r.place_detail,
                "violation_type": r.violation_type,
                "actor_kind": r.actor_kind,
                "actor_name": r.actor_name,
                "narrative": r.narrative,
                "help_given": r.help_given,
                "referral_note": r.referral_note,
                "consent_given": r.consent_given,
                "consent_note": r.consent_note,
            }
            for r in cases
        ],
        "monitoring_visits": [
            {
                **common(r),
                "service": r.service.name if r.service else None,
                "visit_date": r.visit_date,
                "notes": r.notes,
                "scores": [{"question": a.item.text, "score": a.score} for a in r.answers.all()],
            }
            for r in visits
        ],
    }


def privacy_erase(user) -> None:
    """ "Delete my account": unfinished records go entirely; accepted ones are erased like retention does and lose
    their author, so that only their aggregate fields stay (they still count in the network's figures)."""
    now = timezone.now()
    for model in (CaseRecord, MonitoringVisit):
        records = list(model.objects.filter(author=user).prefetch_related("attachments"))
        for record in records:
            if record.status == RecordStatus.ACCEPTED:
                if record.erased_at is None:
                    record_erase(record, now=now)
            else:
                files = _attachment_files(record)
                record.delete()
                _delete_files_on_commit(files)
        model.objects.filter(author=user).update(author=None)
        model.objects.filter(reviewer=user).update(reviewer=None)


# --- Key rotation -------------------------------------------------------------------------------------------------


def rotate_keys() -> dict[str, int]:
    """Re-encrypt every encrypted value and file with the first key of PRACTICE_ENCRYPTION_KEYS. Values already
    under the first key are left alone, so the command can be run again after an interruption."""
    counts = {"values": 0, "files": 0}
    for model in (CaseRecord, MonitoringVisit):
        counts["values"] += _rotate_columns(model, model.encrypted_fields)
    counts["values"] += _rotate_columns(Attachment, ("original_name",))
    for attachment in Attachment.objects.exclude(file=""):
        storage, name = attachment.file.storage, attachment.file.name
        with storage.open(name, "rb") as handle:
            token = handle.read()
        if crypto.encrypted_with_primary(token):
            continue
        new_token = crypto.fernet().rotate(token)
        with transaction.atomic():
            new_name = storage.save(uploads_name(), ContentFile(new_token))
            Attachment.objects.filter(pk=attachment.pk).update(file=new_name)
        storage.delete(name)
        counts["files"] += 1
    return counts


def uploads_name() -> str:
    from .models import attachment_upload_to

    return attachment_upload_to(None, "")


def _rotate_columns(model, fields) -> int:
    """Read the stored tokens as they are (not through the field, which decrypts), rotate those not under the first
    key, write them back."""
    from django.db import connection

    table = model._meta.db_table
    columns = [model._meta.get_field(name).column for name in fields]
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    changed = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names only
        rows = cursor.fetchall()
    multi = crypto.fernet()
    for pk, *tokens in rows:
        updates = {}
        for column, token in zip(columns, tokens, strict=True):
            if token and not crypto.encrypted_with_primary(token.encode("ascii")):
                updates[column] = multi.rotate(token.encode("ascii")).decode("ascii")
        if updates:
            sets = ", ".join(f"{connection.ops.quote_name(c)} = %s" for c in updates)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {connection.ops.quote_name(table)} SET {sets} WHERE id = %s",  # noqa: S608 - names only
                    [*updates.values(), pk],
                )
            changed += len(updates)
    return changed


# --- The network's aggregates --------------------------------------------------------------------------------------


def aggregates_check(*, user) -> None:
    """The network's counts and the partner export are for certifiers and admins (superusers) only: trainers see
    their cohorts' records in review, nobody sees another course's."""
    if not (user.is_authenticated and user.is_active and roles.is_certifier(user)):
        raise PermissionDenied
