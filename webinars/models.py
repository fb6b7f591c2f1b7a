"""Webinar pages and the rows of the live room: registrations, attendance, questions, votes, polls and the
room's event log (the database is the truth; the channel layer only signals that the log grew)."""

import secrets
from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from courses.staffing import StaffAssignedPage, StaffAssignmentPageForm
from lms.caching import cached
from lms.languages import language_choices

# How long after the scheduled end the room still takes questions, votes and poll changes.
ROOM_GRACE = timedelta(minutes=30)


class WebinarIndexPage(Page):
    """The section page listing upcoming and past webinars, with filters by track and language."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["webinars.WebinarPage"]
    max_count_per_parent = 1
    template = "webinars/webinar_index_page.html"

    class Meta:
        verbose_name = _("webinar index page")

    def get_context(self, request, *args, **kwargs):
        from .pages import webinar_index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(webinar_index_context(request=request, index=self))
        return context


class MaterialLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200)
    url = blocks.URLBlock(label=_("link"))

    class Meta:
        icon = "link"
        label = _("Link")
        template = "webinars/blocks/material_link.html"
        preview_value = {"title": "Slides (PDF)", "url": "https://example.org/slides.pdf"}


class MaterialDocumentBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=200, required=False)
    document = DocumentChooserBlock(label=_("document"))

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "webinars/blocks/material_document.html"


class WebinarPage(StaffAssignedPage, Page):
    """One live session. The video runs elsewhere (Jitsi, BigBlueButton, Zoom); this page is the room around it.
    Its presenters are chosen by an administrator, like a course's trainers (courses/staffing.py)."""

    class QAMode(models.TextChoices):
        OPEN = "open", _("Open: questions appear at once")
        MODERATED = "moderated", _("Moderated: a presenter approves each question")

    description = RichTextField(_("description"), blank=True)
    track = models.ForeignKey(
        "courses.Track", verbose_name=_("track"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(
        _("spoken language"),
        max_length=10,
        choices=language_choices,
        default="en",
        help_text=_("The language the webinar is held in; the page itself may be translated."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    presenters = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("presenters"),
        blank=True,
        related_name="presented_webinars",
        help_text=_("Chosen by an administrator: presenters moderate the room and see its attendance."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Maximum number of registrations; empty means no limit.")
    )
    qa_mode = models.CharField(_("Q&A mode"), max_length=12, choices=QAMode.choices, default=QAMode.OPEN)
    votes_enabled = models.BooleanField(_("votes on questions"), default=True)
    stream_url = models.URLField(
        _("stream or meeting link"), blank=True, help_text=_("Jitsi, BigBlueButton or Zoom; opened only on click.")
    )
    recording_url = models.URLField(_("recording link"), blank=True)
    materials = StreamField(
        [("link", MaterialLinkBlock()), ("document", MaterialDocumentBlock())],
        verbose_name=_("materials"),
        blank=True,
        use_json_field=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("start"), FieldPanel("end"), FieldPanel("track"), FieldPanel("language")], heading=_("When")
        ),
        MultiFieldPanel(
            [
                FieldPanel("presenters", widget=forms.CheckboxSelectMultiple),
                FieldPanel("capacity"),
                FieldPanel("qa_mode"),
                FieldPanel("votes_enabled"),
                FieldPanel("stream_url"),
            ],
            heading=_("Room"),
        ),
        MultiFieldPanel([FieldPanel("recording_url"), FieldPanel("materials")], heading=_("Afterwards")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("description")]
    # One session in every language: its time, spoken language and room rules are copied from the source on every
    # sync; the stream and recording links may be overridden per language (an interpreted stream).
    override_translatable_fields = [
        SynchronizedField(name, overridable=False)
        for name in ("start", "end", "language", "capacity", "qa_mode", "votes_enabled")
    ]
    parent_page_types = ["webinars.WebinarIndexPage"]
    subpage_types: list[str] = []
    template = "webinars/webinar_page.html"
    base_form_class = StaffAssignmentPageForm
    staff_field = "presenters"
    exclude_fields_in_copy = ["presenters"]

    class Meta:
        verbose_name = _("webinar")
        verbose_name_plural = _("webinars")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    def get_context(self, request, *args, **kwargs):
        from .pages import webinar_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(webinar_page_context(request=request, webinar=self.session))
        return context

    @property
    def session(self) -> "WebinarPage":
        """The page that holds this webinar's one session: registrations, seats, the room, its questions and
        attendance. A webinar happens once, whatever the language of its page: every translation (same
        translation_key) acts on its first version, the page with the lowest id. Cached under the site's
        generation (lms/caching), so the session's own page costs no query."""
        session_pk = cached(
            f"webinars:session:{self.translation_key}",
            lambda: WebinarPage.objects.filter(translation_key=self.translation_key).order_by("pk").first().pk,
        )
        if session_pk == self.pk:
            return self
        return WebinarPage.objects.select_related("track").get(pk=session_pk)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def is_live(self, now=None) -> bool:
        now = now or timezone.now()
        return self.start <= now < self.end

    def has_ended(self, now=None) -> bool:
        return (now or timezone.now()) >= self.end

    def room_is_open(self, now=None) -> bool:
        """Questions, votes and polls are accepted until a grace period after the scheduled end."""
        return (now or timezone.now()) < self.end + ROOM_GRACE


class Registration(models.Model):
    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_registrations")
    created_at = models.DateTimeField(default=timezone.now)
    reminded_24h_at = models.DateTimeField(null=True, blank=True)
    reminded_1h_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        constraints = [models.UniqueConstraint(fields=["webinar", "user"], name="webinars_registration_unique")]

    def __str__(self) -> str:
        return f"{self.user} → {self.webinar}"


def _new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The unguessable token behind a person's calendar feed URL; resetting it revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_feed")
    token = models.CharField(max_length=64, unique=True, default=_new_feed_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"feed of {self.user}"


class RoomWorker(models.Model):
    """A server process holding room connections; its heartbeat tells whether its open intervals are live."""

    name = models.CharField(max_length=120, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One connected interval of one person in one room; minutes present are the union of these."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_attendance")
    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE, related_name="attendance")
    connected_at = models.DateTimeField(default=timezone.now)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    worker = models.ForeignKey(RoomWorker, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance interval")
        indexes = [
            models.Index(fields=["webinar", "disconnected_at"], name="webinars_att_open_idx"),
            models.Index(fields=["user", "webinar"], name="webinars_att_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.webinar_id} from {self.connected_at}"


class Room(models.Model):
    """The per-webinar counter that gives every broadcast its seq; its row lock orders the room's writes."""

    webinar = models.OneToOneField(WebinarPage, on_delete=models.CASCADE, related_name="room")
    last_seq = models.PositiveBigIntegerField(default=0)
    attendees = models.PositiveIntegerField(default=0)  # the count last broadcast, so unchanged counts stay quiet

    def __str__(self) -> str:
        return f"room {self.webinar_id} @ {self.last_seq}"


class Question(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DISMISSED = "dismissed", _("Dismissed")

    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE, related_name="questions")
    # Kept for anonymous questions too (the author may export and erase them); never shown to others.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="webinar_questions"
    )
    anonymous = models.BooleanField(default=False)
    text = models.TextField()
    text_html = models.TextField(blank=True, editable=False)  # rendered once on write, not on every snapshot
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    answer = models.TextField(blank=True)
    answer_html = models.TextField(blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True)
    pinned = models.BooleanField(default=False)
    vote_count = models.PositiveIntegerField(default=0)
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("question")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["author", "created_at"], name="webinars_q_author_idx")]

    def __str__(self) -> str:
        return self.text[:60]

    def save(self, *args, **kwargs):
        """Render the text and the answer (markdown, sanitised by nh3) on every write that touches them, so no
        snapshot renders markdown and no caller can forget to."""
        from lms.text import render_markdown

        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"text", "answer"} & set(update_fields):
            self.text_html = str(render_markdown(self.text))
            self.answer_html = str(render_markdown(self.answer)) if self.answer else ""
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "text_html", "answer_html"}
        super().save(*args, **kwargs)


class Vote(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "user"], name="webinars_vote_unique")]

    def __str__(self) -> str:
        return f"vote on {self.question_id}"


class Poll(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE, related_name="polls")
    question = models.CharField(max_length=500)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    results_hidden = models.BooleanField(default=False, help_text=_("Attendees see the results only once closed."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.question


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(PollChoice, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webinar_poll_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["poll", "user"], name="webinars_pollvote_unique")]

    def __str__(self) -> str:
        return f"vote in poll {self.poll_id}"


class RoomEvent(models.Model):
    """The ordered log of what the room broadcast. `payload` is what attendees receive; `presenter_payload`,
    when set, is the fuller version presenters receive instead (pending questions, hidden poll counts)."""

    webinar = models.ForeignKey(WebinarPage, on_delete=models.CASCADE, related_name="room_events")
    seq = models.PositiveBigIntegerField()
    name = models.CharField(max_length=40)
    payload = models.JSONField(default=dict)
    presenter_payload = models.JSONField(null=True, blank=True)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["webinar", "seq"]
        constraints = [models.UniqueConstraint(fields=["webinar", "seq"], name="webinars_roomevent_unique_seq")]

    def __str__(self) -> str:
        return f"{self.webinar_id}#{self.seq} {self.name}"
