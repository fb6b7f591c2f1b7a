"""Course models. Track is shared: webinars and certificate requirements refer to it too."""

import uuid
from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField

from lms.caching import wagtail as wagtail_cache
from lms.rows import RowReader

from .blocks import LessonStreamBlock
from .staffing import StaffAssignedPage, StaffAssignmentPageForm, register_page_permission_policy
from .storage import private_storage

# Trainers get page permissions on the courses they train (courses/staffing.py); registered with the models, so that
# it holds before any admin view (or a test) asks.
register_page_permission_policy()


@register_snippet
class Track(TranslatableMixin, index.Indexed, models.Model):
    """A programme strand (budget advocacy, street lawyers...). One row per locale, linked by translation_key,
    so a track means the same thing in every language."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, help_text=_("Used in filter URLs, e.g. budget-advocacy."))
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("track")
        verbose_name_plural = _("tracks")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="courses_track_unique_slug_locale")]

    def __str__(self) -> str:
        return self.name


# --- Pages -------------------------------------------------------------------------------------------------------


class CourseIndexPage(Page):
    """The catalogue of one locale: every live course below it, filterable by track and language, searchable."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["lms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("course index")

    def route(self, request, path_components):
        if path_components:
            return wagtail_cache.route_to_child(self, request, path_components, _course_at)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .pages import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request=request, index=self))
        return context


class PassRule(models.TextChoices):
    ALL = "all", _("Every lesson completed, every quiz passed and every required assignment approved")
    NO_ASSIGNMENTS = "lessons_quizzes", _("Every lesson completed and every quiz passed (assignments optional)")


class CoursePage(StaffAssignedPage, Page):
    """A self-paced course; its ordered LessonPage children are the lessons. Translations share translation_key.
    Its trainers are chosen by an administrator, for every language of the course at once (courses/staffing.py)."""

    track = models.ForeignKey(Track, verbose_name=_("track"), on_delete=models.PROTECT, related_name="courses")
    summary = models.TextField(_("summary"), max_length=600)
    outcomes = RichTextField(
        _("learning outcomes"),
        blank=True,
        features=["bold", "italic", "ol", "ul"],
        help_text=_("What a learner can do after the course."),
    )
    estimated_hours = models.DecimalField(
        _("estimated hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    prerequisites = ParentalManyToManyField(
        "self",
        verbose_name=_("prerequisite courses"),
        symmetrical=False,
        blank=True,
        related_name="required_by",
        help_text=_("Courses a learner must complete before enrolling in this one."),
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("trainers"),
        blank=True,
        related_name="trained_courses",
        help_text=_(
            "Chosen by an administrator, for every language of the course: trainers follow this course's learners, "
            "review its assignments, see its reports and edit its pages."
        ),
    )
    pass_rule = models.CharField(_("pass rule"), max_length=20, choices=PassRule.choices, default=PassRule.ALL)

    content_panels = [
        *Page.content_panels,
        FieldPanel("track"),
        FieldPanel("summary"),
        FieldPanel("outcomes"),
        FieldPanel("estimated_hours"),
        FieldPanel("pass_rule"),
        FieldPanel("prerequisites", widget=forms.CheckboxSelectMultiple),
        FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("outcomes"),
        index.AutocompleteField("title"),
        index.FilterField("track"),
        index.FilterField("locale"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    # What a translator may not change (wagtail-localize copies these from the source on every sync; texts, the
    # slug and the track, translated as a snippet, are segments): the same course in every language.
    override_translatable_fields = [
        SynchronizedField("estimated_hours", overridable=False),
        SynchronizedField("pass_rule", overridable=False),
    ]
    base_form_class = StaffAssignmentPageForm
    staff_field = "trainers"
    exclude_fields_in_copy = ["trainers"]  # a copy or a new translation starts without (translations share them)

    class Meta:
        verbose_name = _("course")
        permissions = [("assign_staff", _("Can choose the trainers of courses and the presenters of webinars"))]

    def staff_pages(self):
        """A course's trainers are the same in every language: they are stored on each translation."""
        return CoursePage.objects.filter(translation_key=self.translation_key)

    def route(self, request, path_components):
        if path_components:
            return wagtail_cache.route_to_child(self, request, path_components, _lesson_at)
        return super().route(request, path_components)

    @property
    def language(self) -> str:
        """The course's language is its Wagtail locale."""
        return self.locale.language_code

    @property
    def hours_count(self) -> int:
        """Estimated hours rounded for "about N hours" (never 0)."""
        return max(1, round(self.estimated_hours))

    def get_context(self, request, *args, **kwargs):
        from .pages import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request=request, course=self))
        return context


class LessonPage(Page):
    """One lesson: a StreamField body. The quiz and assignment keys in the body are cached on save so that
    completion and reports can ask "what does this course require" in one query, without parsing bodies."""

    summary = models.CharField(_("summary"), max_length=300, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("estimated minutes"), default=15)
    body = StreamField(LessonStreamBlock(), verbose_name=_("body"), blank=True)
    quiz_keys = models.JSONField(default=list, editable=False)
    assignment_keys = models.JSONField(default=list, editable=False)  # required assignments only

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("estimated_minutes"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]
    # The body's texts are segments; what grades and requires (a quiz's correct flags, pass mark and attempts, an
    # assignment's "required" and "allow a file", block and choice ids) is never extracted, so every sync copies
    # it from the source. Files, images and video links may be overridden per language (a handout in
    # Ukrainian), and are the source's until then. docs/translation.md, "What is translated".
    override_translatable_fields = [SynchronizedField("estimated_minutes", overridable=False)]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.quiz_keys, self.assignment_keys = lesson_requirement_keys(self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "quiz_keys", "assignment_keys"}
        return super().save(*args, **kwargs)

    def serve(self, request, *args, **kwargs):
        from .pages import lesson_serve

        return lesson_serve(request=request, lesson=self, default_serve=super().serve, args=args, kwargs=kwargs)

    def get_context(self, request, *args, **kwargs):
        from .pages import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request=request, lesson=self))
        return context


def lesson_requirement_keys(body) -> tuple[list[str], list[str]]:
    """The block ids of the quizzes and of the required assignments in a lesson body."""
    quizzes = [block.id for block in body if block.block_type == "quiz"]
    assignments = [block.id for block in body if block.block_type == "assignment" and block.value.get("required")]
    return quizzes, assignments


def _course_at(index: CourseIndexPage, slug: str) -> CoursePage | None:
    return CoursePage.objects.select_related("track").child_of(index).filter(slug=slug).first()


_LESSON = RowReader(LessonPage)
_quote, _page = connection.ops.quote_name, connection.ops.quote_name(Page._meta.db_table)
_LESSON_AT_SQL = _LESSON.select(
    f"{_page}.{_quote('path')} LIKE %s AND {_page}.{_quote('depth')} = %s AND {_page}.{_quote('slug')} = %s "
    f"ORDER BY {_page}.{_quote('path')}"
)


def _lesson_at(course: CoursePage, slug: str) -> LessonPage | None:
    """The lesson at `slug` in the course, as `LessonPage.objects.child_of(course).filter(slug=slug).first()` gives
    it, with a written-out query: routing to a lesson not yet kept asks for it, and building the query with the
    ORM cost more than running it (bench/README.md)."""
    return _LESSON.fetch_one(_LESSON_AT_SQL, [f"{course.path}%", course.depth + 1, slug])


# --- Learner records ---------------------------------------------------------------------------------------------
#
# A course in every language is one course for the learner (docs/courses.md, "One course in every language"):
# each record keeps the page the learner acted on (admin and reports link to it) and the pages' translation keys,
# and every read and uniqueness rule asks by key.


def record_pages(*, course: CoursePage, lesson: LessonPage | None = None) -> dict:
    """The fields that tie a learner's record to a course (and a lesson): the pages acted on and their translation
    keys, which every language of the course shares."""
    fields = {"course": course, "course_key": course.translation_key}
    if lesson is not None:
        fields.update(lesson=lesson, lesson_key=lesson.translation_key)
    return fields


class Enrollment(models.Model):
    """A learner taking a course. progress_percent is refreshed by the completion service on every change."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_enrollments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrollments")
    course_key = models.UUIDField(editable=False)  # the course's translation_key: one enrolment in every language
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress"), default=0, validators=[MaxValueValidator(100)])
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Bumped by every service that changes what the learner's lessons in the course show (a lesson marked
    # complete, a quiz attempt, a submission, a review): the kept copies of those pages are keyed by it
    # (courses/pagecache.py).
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["user", "course_key"], name="courses_enrollment_unique_user_course_key")
        ]
        indexes = [models.Index(fields=["course_key", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.course}"


class LessonProgress(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="lesson_progress")
    course_key = models.UUIDField(editable=False)  # translation keys: the same record in every language
    lesson_key = models.UUIDField(editable=False)
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson_key"], name="courses_progress_unique_user_lesson_key")
        ]
        indexes = [models.Index(fields=["course_key", "user"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"


class QuizAttempt(models.Model):
    """One graded attempt at one quiz block (quiz_key is the block's stable StreamField id)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="quiz_attempts")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="quiz_attempts")
    course_key = models.UUIDField(editable=False)  # translation keys: the same record in every language
    lesson_key = models.UUIDField(editable=False)
    quiz_key = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField(_("attempt number"))
    answers = models.JSONField(_("answers"), default=dict)  # {question id: [choice id, ...]}
    score = models.FloatField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    passed = models.BooleanField(_("passed"))
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "quiz_key", "number"], name="courses_attempt_unique_key_number"
            )
        ]
        indexes = [models.Index(fields=["course_key", "user"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} #{self.number}"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


def submission_upload_to(instance, filename: str) -> str:
    """A random stored name, relative to the private storage's root (`PRIVATE_MEDIA_ROOT`, courses/storage.py): the
    learner's file name is kept in a field, never in the path. Files stored before the private storage had its own
    root are named `private/courses/submissions/...`; moved with their folder, they keep their names (docs/deploy.md).
    """
    suffix = Path(filename).suffix.lower()[:10]
    return f"courses/submissions/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class AssignmentSubmission(models.Model):
    """A learner's answer to one assignment block; resubmitting after "changes requested" updates it in place."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignment_submissions")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="submissions")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="submissions")
    course_key = models.UUIDField(editable=False)  # translation keys: the same record in every language
    lesson_key = models.UUIDField(editable=False)
    assignment_key = models.CharField(max_length=64)
    text = models.TextField(_("answer"), max_length=20_000)
    file = models.FileField(
        _("file"), upload_to=submission_upload_to, storage=private_storage, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_type = models.CharField(_("file type"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.SUBMITTED
    )
    feedback = models.TextField(_("feedback"), blank=True, max_length=10_000)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviewed_submissions"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment submission")
        verbose_name_plural = _("assignment submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_key", "assignment_key"], name="courses_submission_unique_user_assignment_key"
            )
        ]
        indexes = [models.Index(fields=["course_key", "status"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson}"
