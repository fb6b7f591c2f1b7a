from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import User
from .services import PROFILE_FIELDS


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"))

    class Meta:
        model = User
        fields = PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        import zoneinfo

        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        required=True,
    )


def save_review(request, form, review, *, done_url: str):
    """A trainer's review form posted (an assignment, a field-practice record): `review(form.cleaned_data)`, a
    service, saves it, then back to `done_url` with a message. None when the form or the service refused it: the
    errors are on the form, for the page to show again (with status 400)."""
    if form.is_valid():
        try:
            review(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, gettext("Your review was saved."))
            return redirect(done_url)
    return None
