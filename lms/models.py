"""The custom user and the Wagtail home page: the only models the core app owns."""

import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .caching import wagtail as wagtail_cache
from .languages import language_choices

# Countries of the EECA region first; "other" keeps the field usable for everyone else.
COUNTRY_CHOICES = [
    ("", _("Prefer not to say")),
    ("AM", _("Armenia")),
    ("AZ", _("Azerbaijan")),
    ("BY", _("Belarus")),
    ("EE", _("Estonia")),
    ("GE", _("Georgia")),
    ("KZ", _("Kazakhstan")),
    ("KG", _("Kyrgyzstan")),
    ("LV", _("Latvia")),
    ("LT", _("Lithuania")),
    ("MD", _("Moldova")),
    ("MN", _("Mongolia")),
    ("RU", _("Russia")),
    ("TJ", _("Tajikistan")),
    ("TM", _("Turkmenistan")),
    ("UA", _("Ukraine")),
    ("UZ", _("Uzbekistan")),
    ("XX", _("Other")),
]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value}, code="invalid")


class User(AbstractUser):
    """A pseudonymous account: only the username is required; email, name and country are optional."""

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        validators=[ProhibitNullCharactersValidator()],  # PostgreSQL refuses NUL in text; say so, do not crash
        help_text=_("Shown to others instead of your username. A pseudonym is fine."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=language_choices, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    @property
    def public_name(self) -> str:
        """The name other people see: the display name, or the username when none was chosen."""
        return self.display_name or self.username

    def __str__(self) -> str:
        return self.public_name


class HomePage(Page):
    """The site root for each locale; sections (courses, webinars) are its children."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link", "ol", "ul"])
    call_to_action = models.CharField(_("call to action"), max_length=120, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("call_to_action")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        """Every page below the home page is routed through the cache of routes (lms/caching/wagtail.py)."""
        if not path_components:
            return super().route(request, path_components)
        return wagtail_cache.cached_route(self, request, path_components, self._route_below)

    def _route_below(self, request, path_components):
        """Its sections are of several page types: each is fetched as its specific type (two queries)."""
        return wagtail_cache.route_to_child(self, request, path_components, wagtail_cache.specific_child)
