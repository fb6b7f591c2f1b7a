"""Input validation for the practice views; the rules themselves (who may, what a submission needs) are in
services. Every field of a record is optional here: a draft may be saved at any point."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from .models import CaseRecord, ChecklistItem, MonitoredService, MonitoringVisit, Practice

NOT_OBSERVED = "na"
SCORE_CHOICES = [
    ("0", _("0: no")),
    ("1", _("1: poor")),
    ("2", _("2: partly")),
    ("3", _("3: fully")),
    (NOT_OBSERVED, _("Not observed")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CaseRecordForm(forms.ModelForm):
    class Meta:
        model = CaseRecord
        fields = [
            "incident_date",
            "country",
            "city",
            "place_detail",
            "violation_type",
            "actor_kind",
            "actor_name",
            "narrative",
            "help_given",
            "referral_note",
            "consent_given",
            "consent_note",
        ]
        widgets = {
            "incident_date": DateInput(),
            "narrative": forms.Textarea(attrs={"rows": 8}),
            "referral_note": forms.Textarea(attrs={"rows": 3}),
            "consent_note": forms.Textarea(attrs={"rows": 2}),
            "place_detail": forms.TextInput(attrs={"autocomplete": "off"}),
            "actor_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "city": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "city": _("A city or town only: no street, no address."),
            "place_detail": _("Only if it matters for the case. Leave empty otherwise."),
            "actor_name": _("Only if you deliberately want it recorded. Usually leave this empty."),
            "narrative": _("What happened, in your words. Markdown works (*italic*, **bold**, lists)."),
            "consent_given": _("Required to submit: the person agreed that this case is recorded."),
            "consent_note": _("How and when consent was given (no names)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class VisitForm(forms.ModelForm):
    class Meta:
        model = MonitoringVisit
        fields = ["service", "visit_date", "notes"]
        widgets = {"visit_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, practice: Practice, items: list[ChecklistItem], scores: dict[int, int | None], **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        current = self.instance.service_id
        services = MonitoredService.objects.filter(practice=practice)
        self.fields["service"].queryset = services.filter(active=True) | services.filter(pk=current)
        self.items = items
        for item in items:
            name = f"score_{item.pk}"
            self.fields[name] = forms.ChoiceField(
                label=item.text, choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
            )
            if item.pk in scores:
                value = scores[item.pk]
                self.initial[name] = NOT_OBSERVED if value is None else str(value)

    def score_fields(self):
        return [self[f"score_{item.pk}"] for item in self.items]

    def scores(self) -> dict[int, int | None]:
        """Answered items only: a score, or None for "not observed"."""
        result = {}
        for item in self.items:
            value = self.cleaned_data.get(f"score_{item.pk}")
            if value:
                result[item.pk] = None if value == NOT_OBSERVED else int(value)
        return result

    def record_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Add a photo or a PDF (optional)"),
        required=False,
        help_text=_("Location and camera data are removed from photos before they are stored."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("return", _("Return for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the author"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        help_text=_("Required when you return the record."),
    )


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ["title", "instructions"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 6})}


class NewPracticeForm(forms.ModelForm):
    course = forms.ModelChoiceField(label=_("Course"), queryset=None)

    class Meta:
        model = Practice
        fields = ["kind", "title", "instructions"]
        widgets = {"instructions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.order_fields(["course", "kind", "title", "instructions"])


ServiceFormSet = inlineformset_factory(
    Practice,
    MonitoredService,
    fields=["name", "kind", "country", "city", "stated_hours", "active"],
    extra=2,
    can_delete=True,
)
ChecklistFormSet = inlineformset_factory(Practice, ChecklistItem, fields=["text", "order"], extra=3, can_delete=True)
