"""The core app's page in the Wagtail admin: where translations stand, per locale (lms/translation_status.py)."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import services, translation_status


class TranslationStatusView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Translation status")
    header_icon = "globe"
    template_name = "lms/admin/translation_status.html"

    def dispatch(self, request, *args, **kwargs):
        if not services.may_manage_translations(request.user):
            return permission_denied(request)  # as the admin's other pages: back to its dashboard, with a message
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locales"] = translation_status.status_by_locale()
        context["state_labels"] = translation_status.STATE_LABELS.values()
        context["listed_items"] = translation_status.LISTED_ITEMS
        return context
