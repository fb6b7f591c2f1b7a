"""Input of the aggregates page and the partner export: which course, which dates."""

import uuid
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .aggregates import Filters

EARLIEST = date(2000, 1, 1)


class AggregateFilterForm(forms.Form):
    course = forms.ChoiceField(label=_("Course"), required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("YYYY-MM-DD")
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text=_("YYYY-MM-DD")
    )

    def __init__(self, *args, courses: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [("", _("All courses")), *courses]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            if data.get(name) and not EARLIEST <= data[name] <= date(9999, 1, 1):
                self.add_error(name, _("Give a date after 2000."))
        if start and end and start > end:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            course_key=uuid.UUID(data["course"]) if data.get("course") else None,
            start=data.get("start"),
            end=data.get("end"),
        )
