"""Course models. Track is shared: webinars and certificate requirements refer to it too."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index
from wagtail.snippets.models import register_snippet


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
