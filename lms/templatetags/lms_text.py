"""`{{ value|safe_richtext }}`: Wagtail's `richtext` filter, sanitised (see lms.text)."""

from django import template

from lms.text import render_richtext

register = template.Library()


@register.filter
def safe_richtext(value):
    return render_richtext(value)
