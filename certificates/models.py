"""Progression levels, their typed requirements, certificates, the issuance queue and the audit log.

Courses and tracks are referred to by their Wagtail `translation_key`, so that finishing the Russian or the
English version of a course counts the same. The page/track foreign keys exist only as the admin's handle to
choose one; the key is what the eligibility engine compares.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import Locale, Orderable, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from lms.languages import language_choices
from lms.text import validate_no_control_characters

PRINTED_TEXT = [validate_no_control_characters]  # printed on certificates and signed into credentials


class Level(index.Indexed, ClusterableModel):
    """One rung of the ladder. Texts are in the default language; `LevelText` rows hold them per locale."""

    name = models.CharField(_("name"), max_length=120, validators=PRINTED_TEXT)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, validators=PRINTED_TEXT)
    certificate_text = models.TextField(
        _("certificate text"),
        blank=True,
        validators=PRINTED_TEXT,
        help_text=_("Printed on the certificate under the level's name."),
    )
    sort_order = models.PositiveIntegerField(_("position on the ladder"), default=0)
    requires_approval = models.BooleanField(
        _("requires approval"),
        default=True,
        help_text=_("If unticked, certificates are issued automatically as soon as someone is eligible."),
    )
    granted_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("group granted on issue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For example, Certified Trainer grants the Trainers group."),
    )
    certifier_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("only certifiers in this group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("If set, only members of this group may issue or revoke this level."),
    )
    achievement_id = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("certificate_text"),
        FieldPanel("sort_order"),
        FieldPanel("requires_approval"),
        # Only superusers choose these: a certifier could otherwise make a level that grants the Certifiers role,
        # or open a level reserved to other certifiers.
        FieldPanel("granted_group", permission="superuser"),
        FieldPanel("certifier_group", permission="superuser"),
        InlinePanel("requirements", heading=_("Requirements"), label=_("Requirement")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        """Two levels may not share a name, whatever the case: a look-alike of "Certified Trainer" made by a
        certifier would print the same on a certificate as the real one."""
        name = self.name.strip().casefold()
        if any(other.casefold() == name for other in Level.objects.exclude(pk=self.pk).values_list("name", flat=True)):
            raise ValidationError({"name": _("Another level already has this name.")})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        LevelText.mirror(self)

    def _translated(self, field: str, language: str | None = None) -> str:
        """The field in `language` (default: the active one), falling back to the default-language text, which is
        the level's own (its default-language LevelText is a copy for translators)."""
        language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        if language == settings.LANGUAGE_CODE.split("-")[0]:
            return getattr(self, field)
        for row in self.texts.all():  # prefetched by the selectors (texts_prefetch)
            if row.locale.language_code == language and getattr(row, field):
                return getattr(row, field)
        return getattr(self, field)

    def localized_name(self, language: str | None = None) -> str:
        return self._translated("name", language)

    def localized_description(self, language: str | None = None) -> str:
        return self._translated("description", language)

    def localized_certificate_text(self, language: str | None = None) -> str:
        return self._translated("certificate_text", language)


class LevelText(TranslatableMixin, models.Model):
    """A level's printed texts in one locale, translated with wagtail-localize (Snippets > Level texts >
    Translate). The level itself (and so eligibility, certificates and credentials) is one row for every
    language; the default-language row mirrors the level's own fields (`Level.save`), the source that editors
    translate from. See docs/translation.md."""

    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.CASCADE, related_name="texts")
    name = models.CharField(_("name"), max_length=120, validators=PRINTED_TEXT)
    description = models.TextField(_("description"), blank=True, validators=PRINTED_TEXT)
    certificate_text = models.TextField(_("certificate text"), blank=True, validators=PRINTED_TEXT)
    updated_at = models.DateTimeField(auto_now=True)  # a source changed after its last sync is out of date

    TEXT_FIELDS = ("name", "description", "certificate_text")
    translatable_fields = [
        TranslatableField("name"),
        TranslatableField("description"),
        TranslatableField("certificate_text"),
        SynchronizedField("level", overridable=False),
    ]
    panels = [
        FieldPanel("level", read_only=True),
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("certificate_text"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("level text")
        verbose_name_plural = _("level texts")
        constraints = [models.UniqueConstraint(fields=["level", "locale"], name="certificates_level_text_locale")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.level_id and self.locale_id == Locale.get_default().pk:
            level = Level.objects.filter(pk=self.level_id).first()
            if level is not None and any(getattr(self, f) != getattr(level, f) for f in self.TEXT_FIELDS):
                raise ValidationError(_("The default language's texts are edited on the level itself."))

    @classmethod
    def mirror(cls, level: Level) -> None:
        """Write the level's own texts into its default-language row (created on the first save)."""
        texts = {field: getattr(level, field) for field in cls.TEXT_FIELDS}
        row = cls.objects.filter(level=level, locale=Locale.get_default()).first()
        if row is None:
            cls.objects.create(level=level, locale=Locale.get_default(), **texts)
        elif any(getattr(row, field) != value for field, value in texts.items()):
            for field, value in texts.items():
                setattr(row, field, value)
            row.save()


def texts_prefetch(path: str = "texts") -> Prefetch:
    """Prefetch a level's texts with their locales (one query, a join)."""
    return Prefetch(path, queryset=LevelText.objects.select_related("locale"))


class RequirementKind(models.TextChoices):
    COURSE_COMPLETED = "course_completed", _("Course completed")
    WEBINARS_ATTENDED = "webinars_attended", _("Webinars attended")
    WEBINARS_PRESENTED = "webinars_presented", _("Webinars presented")
    ASSIGNMENT_APPROVED = "assignment_approved", _("Assignments approved")
    LEVEL_HELD = "level_held", _("Level held")
    PRACTICE_ACCEPTED = "practice_accepted", _("Field practice records accepted")


class PracticeRecordKind(models.TextChoices):
    """Which accepted field-practice records count; the values are the keys of
    `practice.selectors.accepted_record_counts`."""

    CASES = "cases", _("Case records")
    VISITS = "visits", _("Monitoring visits")


class Requirement(Orderable):
    """A typed condition; which fields matter depends on `kind` (checked in clean())."""

    level = ParentalKey(Level, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("kind"), max_length=32, choices=RequirementKind.choices)
    course_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Any language version: the course counts in every language."),
    )
    course_key = models.UUIDField(_("course key"), null=True, blank=True, editable=False)
    track = models.ForeignKey(
        "courses.Track",
        verbose_name=_("track"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: only webinars of this track count."),
    )
    track_key = models.UUIDField(_("track key"), null=True, blank=True, editable=False)
    count = models.PositiveIntegerField(_("how many"), default=1, validators=[MinValueValidator(1)])
    min_quiz_score = models.PositiveSmallIntegerField(
        _("minimum quiz score (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    min_share_percent = models.PositiveSmallIntegerField(
        _("minimum share of the webinar attended (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    required_level = models.ForeignKey(
        Level, verbose_name=_("level"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    record_kind = models.CharField(
        _("field practice records"),
        max_length=16,
        choices=PracticeRecordKind.choices,
        blank=True,
        help_text=_("For “field practice records accepted”: which records count (the course is optional)."),
    )

    panels = [
        FieldPanel("kind"),
        MultiFieldPanel(
            [PageChooserPanel("course_page", page_type="courses.CoursePage"), FieldPanel("min_quiz_score")],
            heading=_("Course"),
        ),
        MultiFieldPanel([FieldPanel("track"), FieldPanel("count"), FieldPanel("min_share_percent")], _("Webinars")),
        FieldPanel("record_kind"),
        FieldPanel("required_level"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("requirement")
        verbose_name_plural = _("requirements")

    def __str__(self) -> str:
        return f"{self.level}: {self.get_kind_display()}"

    def clean(self):
        if self.course_page_id and self.course_page.content_type.model_class()._meta.label != "courses.CoursePage":
            raise ValidationError({"course_page": _("Choose a course page.")})
        self.course_key = self.course_page.translation_key if self.course_page_id else self.course_key
        self.track_key = self.track.translation_key if self.track_id else None
        if self.kind == RequirementKind.COURSE_COMPLETED and not self.course_key:
            raise ValidationError({"course_page": _("Choose the course that must be completed.")})
        if self.kind == RequirementKind.LEVEL_HELD:
            if not self.required_level_id:
                raise ValidationError({"required_level": _("Choose the level that must be held.")})
            if self.required_level_id == self.level_id:
                raise ValidationError({"required_level": _("A level cannot require itself.")})
        if self.kind == RequirementKind.PRACTICE_ACCEPTED and not self.record_kind:
            raise ValidationError({"record_kind": _("Choose which field practice records count.")})
        if self.kind != RequirementKind.PRACTICE_ACCEPTED:
            self.record_kind = ""


WITHDRAWN_BY_HOLDER = gettext_noop("Withdrawn by the holder.")  # stored untranslated, shown in each reader's language


def reason_shown(reason: str) -> str:
    """A stored reason in the reader's language where it is the platform's own (a withdrawal), else as written."""
    return gettext(WITHDRAWN_BY_HOLDER) if reason == WITHDRAWN_BY_HOLDER else reason


class Certificate(models.Model):
    """An issued certificate. The holder link and printed name are dropped when the holder deletes the account."""

    serial = models.CharField(_("serial number"), max_length=16, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="certificates")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder_name = models.CharField(_("name as printed"), max_length=160, blank=True)
    holder_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    language = models.CharField(_("language"), max_length=10, choices=language_choices, default="en")
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty when issued automatically."),
    )
    issuer_name = models.CharField(_("issuer"), max_length=160)
    verification_code = models.CharField(max_length=64, unique=True, editable=False)
    credential_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    outside_rules_reason = models.TextField(_("reason for issuing outside the rules"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revocation_reason_public = models.BooleanField(_("show the reason on the verification page"), default=False)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by", editable=False
    )
    # Position in the revocation status list, drawn at random (services._free_status_index). Certificates issued
    # before it was random keep their id as their position: their credentials point there.
    status_index = models.PositiveIntegerField(unique=True, editable=False)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="certificates_serial_year_number"),
            models.UniqueConstraint(
                fields=["holder", "level"],
                condition=models.Q(revoked_at__isnull=True, holder__isnull=False),
                name="certificates_one_valid_per_level",
                violation_error_message=_("This person already holds a valid certificate of this level."),
            ),
        ]
        permissions = [("issue_outside_rules", "Can issue a certificate outside the rules")]

    def __str__(self) -> str:
        return self.serial

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def revocation_reason_shown(self) -> str:
        return reason_shown(self.revocation_reason)


class SerialCounter(models.Model):
    """The last serial number used in a year; locked and incremented in the issuing transaction (gap-free)."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class NamePreference(models.Model):
    """Which name the holder wants printed on certificates issued from now on."""

    class Source(models.TextChoices):
        DISPLAY = "display", _("My display name")
        LEGAL = "legal", _("My legal name")
        PSEUDONYM = "pseudonym", _("A pseudonym")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("name printed"), max_length=16, choices=Source.choices, default=Source.DISPLAY)
    legal_name = models.CharField(_("legal name"), max_length=160, blank=True, validators=PRINTED_TEXT)
    pseudonym = models.CharField(_("pseudonym"), max_length=160, blank=True, validators=PRINTED_TEXT)

    def __str__(self) -> str:
        return self.get_source_display()

    def clean(self):
        if self.source == self.Source.LEGAL and not self.legal_name.strip():
            raise ValidationError({"legal_name": _("Write your legal name, or choose another option.")})
        if self.source == self.Source.PSEUDONYM and not self.pseudonym.strip():
            raise ValidationError({"pseudonym": _("Write the pseudonym, or choose another option.")})


class QueueEntry(models.Model):
    """A person eligible for a level that needs approval, waiting for a certifier (or rejected, with a reason)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    eligible_since = models.DateTimeField()
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["eligible_since", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "level"], name="certificates_queue_user_level")]

    def __str__(self) -> str:
        return f"{self.user} · {self.level}"


class AuditEntry(models.Model):
    """Every issue, reissue, rejection and revocation, with who did it and when. Never edited."""

    class Action(models.TextChoices):
        ISSUE = "issue", _("Issued")
        AUTO_ISSUE = "auto_issue", _("Issued automatically")
        ISSUE_OUTSIDE_RULES = "issue_outside_rules", _("Issued outside the rules")
        REISSUE = "reissue", _("Reissued")
        REJECT = "reject", _("Rejected")
        REVOKE = "revoke", _("Revoked")
        WITHDRAW = "withdraw", _("Withdrawn by the holder")

    action = models.CharField(max_length=32, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    level = models.ForeignKey(Level, null=True, on_delete=models.SET_NULL, related_name="+")
    certificate = models.ForeignKey(Certificate, null=True, on_delete=models.SET_NULL, related_name="audit_entries")
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    @property
    def reason_shown(self) -> str:
        return reason_shown(self.reason)
