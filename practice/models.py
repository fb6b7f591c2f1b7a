"""Field practice: case records (rights violations documented by trainees) and service monitoring visits.

Aggregate fields (dates, country, city, kinds, scores) are plain columns: the network counts them (never below 5,
docs/practice.md). Everything a person wrote, the files and their names are encrypted at rest (practice/crypto.py).
No `__str__`/`__repr__` here shows any of a record's content: a record may appear in a log line or an error page.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.storage import private_storage

from .crypto import EncryptedTextField


class Country(models.TextChoices):
    """The region's countries (ISO 3166-1 alpha-2), and "other"."""

    UA = "UA", _("Ukraine")
    MD = "MD", _("Moldova")
    GE = "GE", _("Georgia")
    AM = "AM", _("Armenia")
    AZ = "AZ", _("Azerbaijan")
    BY = "BY", _("Belarus")
    RU = "RU", _("Russia")
    KZ = "KZ", _("Kazakhstan")
    KG = "KG", _("Kyrgyzstan")
    TJ = "TJ", _("Tajikistan")
    UZ = "UZ", _("Uzbekistan")
    TM = "TM", _("Turkmenistan")
    EE = "EE", _("Estonia")
    LV = "LV", _("Latvia")
    LT = "LT", _("Lithuania")
    PL = "PL", _("Poland")
    RO = "RO", _("Romania")
    BG = "BG", _("Bulgaria")
    OTHER = "other", _("Other country")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")


class ViolationType(models.TextChoices):
    POLICE_VIOLENCE = "police_violence", _("Police violence")
    DENIAL_OF_TREATMENT = "denial_of_treatment", _("Denial of treatment or OST")
    FORCED_REHABILITATION = "forced_rehabilitation", _("Forced “rehabilitation”")
    DISCRIMINATION_WORK = "discrimination_work", _("Discrimination at work")
    DISCRIMINATION_HEALTH = "discrimination_health", _("Discrimination in health care")
    EXTORTION = "extortion", _("Extortion")
    OTHER = "other", _("Other")


class ActorKind(models.TextChoices):
    POLICE = "police", _("Police")
    HEALTH_WORKER = "health_worker", _("Health worker")
    REHABILITATION_CENTRE = "rehabilitation_centre", _("Rehabilitation centre")
    EMPLOYER = "employer", _("Employer")
    PRISON_STAFF = "prison_staff", _("Prison staff")
    OTHER = "other", _("Other")


class HelpGiven(models.TextChoices):
    LAWYER = "lawyer", _("Referral to a lawyer")
    MEDICAL = "medical", _("Medical referral")
    SOCIAL = "social", _("Social referral")
    NONE = "none", _("None")


class ServiceKind(models.TextChoices):
    NSP = "nsp", _("Needle and syringe programme")
    OST = "ost", _("OST site")
    HIV = "hiv", _("HIV clinic")
    TB = "tb", _("TB clinic")
    DROP_IN = "drop_in", _("Harm-reduction drop-in")
    OTHER = "other", _("Other")


class Practice(models.Model):
    """A practice of a course: its trainers review, its enrolled learners (the cohort) record."""

    class Kind(models.TextChoices):
        CASES = "cases", _("Case documentation")
        MONITORING = "monitoring", _("Service monitoring")

    course_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Any language version: the practice belongs to the course in every language."),
    )
    course_key = models.UUIDField(_("course key"), editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True, max_length=20_000, help_text=_("Markdown."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.course_page_id and not self.course_key:
            self.course_key = self.course_page.translation_key
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.course_page_id:
            if self.course_page.specific_class._meta.label != "courses.CoursePage":
                raise ValidationError({"course_page": _("Choose a course page.")})
            self.course_key = self.course_page.translation_key


class MonitoredService(models.Model):
    """A service the trainees of a monitoring practice visit (kept by the practice's trainers)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of service"), max_length=20, choices=ServiceKind.choices)
    country = models.CharField(_("country"), max_length=5, choices=Country.choices)
    city = models.CharField(_("city"), max_length=100)
    stated_hours = models.CharField(_("stated opening hours"), max_length=200, blank=True)
    active = models.BooleanField(_("open for visits"), default=True)

    class Meta:
        verbose_name = _("monitored service")
        verbose_name_plural = _("monitored services")
        ordering = ["country", "city", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One question of a monitoring practice's checklist, scored 0..3 or "not observed" on each visit."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="checklist_items")
    text = models.CharField(_("question"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Record(models.Model):
    """What case records and monitoring visits share: author, state, review, retention."""

    # The author goes (SET_NULL) when they delete their account; an accepted record's aggregate fields stay.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The reviewer's comment may quote the record: encrypted like it.
    review_comment = EncryptedTextField(_("reviewer's comment"), blank=True, max_length=10_000)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    # Names of the encrypted (identifying) fields, erased by retention and account deletion.
    encrypted_fields: tuple[str, ...] = ("review_comment",)
    kind_slug = ""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} pk={self.pk} status={self.status}>"

    @property
    def is_editable(self) -> bool:
        return self.status in (RecordStatus.DRAFT, RecordStatus.RETURNED) and self.erased_at is None


class CaseRecord(Record):
    """A documented case of a rights violation."""

    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=5, choices=Country.choices, blank=True)
    city = models.CharField(_("city or town"), max_length=100, blank=True)
    violation_type = models.CharField(_("type of violation"), max_length=32, choices=ViolationType.choices, blank=True)
    actor_kind = models.CharField(_("who did it"), max_length=32, choices=ActorKind.choices, blank=True)
    help_given = models.CharField(_("help given or asked for"), max_length=20, choices=HelpGiven.choices, blank=True)
    consent_given = models.BooleanField(_("the person consented to this record"), default=False)
    # Encrypted at rest.
    place_detail = EncryptedTextField(_("finer place (optional)"), blank=True, max_length=300)
    actor_name = EncryptedTextField(_("name of the person who did it (optional)"), blank=True, max_length=300)
    narrative = EncryptedTextField(_("what happened"), blank=True, max_length=20_000)
    referral_note = EncryptedTextField(_("referral and help"), blank=True, max_length=5_000)
    consent_note = EncryptedTextField(_("how consent was given"), blank=True, max_length=2_000)

    encrypted_fields = ("place_detail", "actor_name", "narrative", "referral_note", "consent_note", "review_comment")
    kind_slug = "cases"  # in URLs

    class Meta:
        verbose_name = _("case record")
        verbose_name_plural = _("case records")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "accepted_at"]), models.Index(fields=["author", "status"])]


class MonitoringVisit(Record):
    """A visit to a monitored service, with a score per checklist item."""

    service = models.ForeignKey(
        MonitoredService, verbose_name=_("service"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    visit_date = models.DateField(_("date of the visit"), null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True, max_length=20_000)

    encrypted_fields = ("notes", "review_comment")
    kind_slug = "visits"  # in URLs

    class Meta:
        verbose_name = _("monitoring visit")
        verbose_name_plural = _("monitoring visits")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "accepted_at"]), models.Index(fields=["author", "status"])]


class ChecklistAnswer(models.Model):
    """A visit's score for one checklist item: 0..3, or empty for "not observed"."""

    visit = models.ForeignKey(MonitoringVisit, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(3)]
    )

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="practice_answer_unique_visit_item"),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=3), name="practice_answer_score_0_3"),
        ]

    def __str__(self) -> str:
        return f"answer #{self.pk}"


def attachment_upload_to(instance, filename: str) -> str:
    """A random name under practice/: the original name is kept encrypted in a field, never in the path."""
    return f"practice/{uuid.uuid4().hex}.bin"


class Attachment(models.Model):
    """A photo or document of a record: cleaned of metadata, then encrypted, in the private storage."""

    case_record = models.ForeignKey(
        CaseRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    visit = models.ForeignKey(
        MonitoringVisit, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, storage=private_storage, max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    original_name = EncryptedTextField(_("file name"), blank=True, max_length=300)
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(case_record__isnull=False, visit__isnull=True)
                | Q(case_record__isnull=True, visit__isnull=False),
                name="practice_attachment_one_record",
            )
        ]

    def __str__(self) -> str:
        return f"attachment #{self.pk}"

    @property
    def record(self):
        return self.case_record if self.case_record_id else self.visit
