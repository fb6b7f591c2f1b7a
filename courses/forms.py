"""Input validation for the course views; the rules themselves are in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Track


class CatalogueFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    track = forms.SlugField(label=_("Track"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, languages, tracks: list[Track], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [("", _("All languages")), *languages]
        self.fields["track"].widget = forms.Select(choices=[("", _("All tracks")), *((t.slug, t.name) for t in tracks)])


class AssignmentForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20_000)
    file = forms.FileField(label=_("File (optional)"), required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
