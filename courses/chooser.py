"""A Wagtail chooser for django-filer's File model, so that lesson editors pick library files in StreamField."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from filer.models import File
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet


class FilerFileFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"), required=False, widget=forms.TextInput(attrs={"placeholder": _("Search")})
    )

    def filter(self, objects):
        term = (self.cleaned_data.get("q") or "").strip()
        if term:
            objects = objects.filter(Q(name__icontains=term) | Q(original_filename__icontains=term))
        return objects


class FilerFileChooseMixin:
    filter_form_class = FilerFileFilterForm
    ordering = ["-uploaded_at"]

    def get_object_list(self):
        return File.objects.non_polymorphic().select_related("folder")


class FilerFileChooseView(FilerFileChooseMixin, ChooseView):
    pass


class FilerFileChooseResultsView(FilerFileChooseMixin, ChooseResultsView):
    pass


class FilerFileChooserViewSet(ChooserViewSet):
    model = File
    icon = "doc-full"
    choose_one_text = _("Choose a library file")
    choose_another_text = _("Choose another file")
    choose_view_class = FilerFileChooseView
    choose_results_view_class = FilerFileChooseResultsView
    register_widget = False  # filer's own admin keeps its widget for File foreign keys


filer_file_chooser_viewset = FilerFileChooserViewSet("filer_file_chooser", url_prefix="courses/filer-files")
