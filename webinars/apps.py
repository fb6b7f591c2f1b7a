from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebinarsConfig(AppConfig):
    name = "webinars"
    verbose_name = _("Webinars")

    def ready(self):
        from lms import dashboard, demo, privacy, translation_status

        from . import dashboard as webinar_dashboard
        from . import demo as webinar_demo
        from . import privacy as webinar_privacy
        from .models import WebinarPage

        dashboard.register_panel(
            "webinars", template_name="webinars/dashboard_panel.html", get_context=webinar_dashboard.panel_context,
            order=20,
        )  # fmt: skip
        privacy.register("webinars", export=webinar_privacy.export, erase=webinar_privacy.erase, order=20)
        demo.register_loader("webinars", webinar_demo.load, order=20)
        translation_status.register_kind("webinars", label=_("Webinars"), model=WebinarPage, order=20)
