"""The one place where text becomes HTML: Markdown (lessons, Q&A) rendered with `markdown`, and editors' rich
text expanded by Wagtail, both cleaned by nh3 with a small allow-list.

Everything a person or an editor types goes through `render_markdown` or `render_richtext`; nothing else in
the project marks such text safe.
"""

import re

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import RichText, expand_db_html

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p",
    "pre", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}
# Only links a reader can follow safely: no javascript:, data:, vbscript: or other schemes.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(html: str) -> SafeString:
    """Strip every tag, attribute and URL scheme that is not on the allow-list; links get rel=noopener."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nh3 has removed everything outside the allow-list


def render_markdown(text: str) -> SafeString:
    """Markdown (with tables and fenced code) to sanitised HTML; raw HTML in the source is escaped or removed."""
    html = markdown.markdown(text or "", extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    return sanitise_html(html)


def render_richtext(value) -> SafeString:
    """Wagtail rich text (a RichText or its stored HTML) with links expanded, then sanitised: editors are trusted
    with content, not with script."""
    source = value.source if isinstance(value, RichText) else (value or "")
    return sanitise_html(expand_db_html(source))


# Control characters (NUL above all: PostgreSQL refuses it in text) have no place in what people type.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text) -> str:
    """The text without control characters; tabs and line breaks stay."""
    return _CONTROL_CHARACTERS.sub("", text or "")


def clean_typed_text(text) -> str:
    """What a person typed, without control characters and surrounding spaces."""
    return without_control_characters(text).strip()


def validate_no_control_characters(text) -> None:
    """For texts that are printed and signed (levels, the printed name): refuse, rather than silently drop, a
    control character, so that what the editor sees is what the certificate and its credential say."""
    if _CONTROL_CHARACTERS.search(text or ""):
        raise ValidationError(_("Remove the control characters from this text."), code="control_characters")
