"""Input validation for the public and the certifier pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Level, NamePreference


class NamePreferenceForm(forms.ModelForm):
    class Meta:
        model = NamePreference
        fields = ["source", "legal_name", "pseudonym"]
        widgets = {"source": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        display = self.instance.user.public_name if self.instance.user_id else ""
        self.fields["source"].choices = [
            (value, f"{label} ({display})" if value == NamePreference.Source.DISPLAY and display else label)
            for value, label in NamePreference.Source.choices
        ]

    def clean(self):
        data = super().clean()
        source = data.get("source")
        if source == NamePreference.Source.LEGAL and not (data.get("legal_name") or "").strip():
            self.add_error("legal_name", _("Write your legal name, or choose another option."))
        if source == NamePreference.Source.PSEUDONYM and not (data.get("pseudonym") or "").strip():
            self.add_error("pseudonym", _("Write the pseudonym, or choose another option."))
        return data


class VerifyForm(forms.Form):
    serial = forms.CharField(label=_("Serial number"), max_length=16, help_text=_("For example 2026-000123."))
    code = forms.CharField(label=_("Verification code"), max_length=64)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RevokeForm(ReasonForm):
    public = forms.BooleanField(label=_("Show the reason on the public verification page"), required=False)


class IssueOutsideRulesForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    level = forms.ModelChoiceField(label=_("Level"), queryset=Level.objects.none())
    outside_rules_reason = forms.CharField(
        label=_("Why issue it outside the rules?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Recorded in the audit log."),
    )

    def __init__(self, *args, levels, **kwargs):
        """`levels`: the ones this certifier may issue (services.certifiable_levels); the service checks again."""
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = levels

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username__iexact=username).first()
        if user is None:
            raise forms.ValidationError(_("No account with this username."))
        self.user = user
        return username


class BulkIssueForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(
        coerce=int, choices=[], error_messages={"required": _("Tick at least one person.")}
    )

    def __init__(self, *args, entry_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(i, i) for i in entry_ids]
