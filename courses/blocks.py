"""Lesson StreamField blocks. Each has its own template under templates/courses/blocks/ and a preview value.

Quiz answers live only in the page's stored content: the quiz template shows questions and choices, never
which choice is correct; grading happens in services.quiz_submit.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

from lms.text import render_markdown

from .chooser import filer_file_chooser_viewset

FilerFileChooserBlock = filer_file_chooser_viewset.get_block_class(
    name="FilerFileChooserBlock", module_path="courses.blocks"
)


class MarkdownBlock(blocks.TextBlock):
    """Markdown typed by an editor, shown as sanitised HTML (script, event handlers and data: URLs removed)."""

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["html"] = render_markdown(value)
        return context

    def render_basic(self, value, context=None):
        return render_markdown(value)

    class Meta:
        icon = "code"
        label = _("Markdown")
        template = "courses/blocks/markdown.html"
        preview_value = "## A heading\n\nText with **bold**, a [link](https://example.org) and a list:\n\n- one\n- two"
        description = _("Text written in Markdown; unsafe HTML is removed.")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("example", _("Example"))], default="tip"
    )
    title = blocks.CharBlock(required=False, max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        preview_value = {"kind": "tip", "title": "Tip", "text": "<p>Bring the budget line numbers to the meeting.</p>"}
        description = _("A highlighted tip, warning or example.")


class VideoBlock(blocks.StructBlock):
    """A poster and a link: the third-party player opens only when the learner clicks, never on page load."""

    title = blocks.CharBlock(max_length=200)
    url = blocks.URLBlock(label=_("video URL"), help_text=_("Opened in the video service's own page on click."))
    poster = ImageChooserBlock(required=False)
    duration = blocks.CharBlock(required=False, max_length=20, help_text=_("For example 12:30."))
    caption = blocks.TextBlock(required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["host"] = urlsplit(value["url"]).hostname or ""
        return context

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        preview_value = {"title": "Community monitoring in practice", "url": "https://video.example.org/watch/1"}
        description = _("A video that loads only after a click.")


class MaterialBlock(blocks.StructBlock):
    """A handout from the django-filer library, downloaded through a view that checks the reader's access."""

    file = FilerFileChooserBlock()
    title = blocks.CharBlock(required=False, max_length=200, help_text=_("Defaults to the file's name."))
    description = blocks.TextBlock(required=False)

    class Meta:
        icon = "doc-full"
        label = _("Material")
        template = "courses/blocks/material.html"
        preview_value = {"title": "Budget request template", "description": "A one-page template."}
        description = _("A downloadable file from the library.")


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=300)
    correct = blocks.BooleanBlock(required=False)

    class Meta:
        icon = "tick"
        label = _("Choice")


class QuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("question"))
    multiple = blocks.BooleanBlock(
        required=False, label=_("several answers"), help_text=_("Tick when more than one choice is correct.")
    )
    choices = blocks.ListBlock(ChoiceOptionBlock(), min_num=2, max_num=8)
    explanation = blocks.TextBlock(required=False, help_text=_("Shown after an attempt."))

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise StructBlockValidationError({"choices": ValidationError(_("Mark at least one choice correct."))})
        if correct > 1 and not value["multiple"]:
            raise StructBlockValidationError(
                {"multiple": ValidationError(_("Several choices are correct: tick “several answers”."))}
            )
        return value

    class Meta:
        icon = "list-ul"
        label = _("Question")


class QuizBlock(blocks.StructBlock):
    """Questions graded on the server; the best attempt counts and the pass mark is a percentage."""

    title = blocks.CharBlock(max_length=200)
    intro = blocks.TextBlock(required=False)
    pass_mark = blocks.IntegerBlock(min_value=0, max_value=100, default=70, help_text=_("Percent needed to pass."))
    max_attempts = blocks.IntegerBlock(min_value=1, max_value=20, default=3)
    questions = blocks.ListBlock(QuestionBlock(), min_num=1, max_num=50)

    class Meta:
        icon = "form"
        label = _("Quiz")
        template = "courses/blocks/quiz.html"
        preview_value = {
            "title": "Check your understanding",
            "pass_mark": 70,
            "max_attempts": 3,
            "questions": [
                {
                    "text": "Who approves the regional budget?",
                    "multiple": False,
                    "choices": [
                        {"text": "The regional parliament", "correct": True},
                        {"text": "The NGO", "correct": False},
                    ],
                    "explanation": "The legislature votes on the budget law.",
                }
            ],
        }
        description = _("Questions graded on the server, with a pass mark and an attempts limit.")


class AssignmentBlock(blocks.StructBlock):
    """A task a trainer reviews: the learner submits text and optionally a file."""

    title = blocks.CharBlock(max_length=200)
    prompt = blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    required = blocks.BooleanBlock(
        required=False, default=True, help_text=_("A required assignment must be approved to complete the course.")
    )
    allow_file = blocks.BooleanBlock(required=False, default=True, label=_("allow a file"))

    class Meta:
        icon = "edit"
        label = _("Assignment")
        template = "courses/blocks/assignment.html"
        preview_value = {
            "title": "Your advocacy goal",
            "prompt": "<p>Write one SMART advocacy goal for your city.</p>",
            "required": True,
            "allow_file": True,
        }
        description = _("A task reviewed by a trainer.")


class LessonStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"],
        template="courses/blocks/rich_text.html",
        label=_("Rich text"),
        preview_value="<h2>The budget cycle</h2><p>Every budget passes through four stages.</p>",
        description=_("Formatted text."),
    )
    markdown = MarkdownBlock()
    callout = CalloutBlock()
    video = VideoBlock()
    material = MaterialBlock()
    quiz = QuizBlock()
    assignment = AssignmentBlock()
