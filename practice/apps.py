from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = _("Field practice")

    def ready(self):
        from lms import dashboard, demo, privacy

        from . import (
            checks,  # noqa: F401 - registers the encryption key check
            services,
        )
        from . import dashboard as practice_dashboard
        from . import demo as demo_content

        # Before courses (10): an account's records are erased while its enrolments still say whose they were.
        privacy.register("practice", export=services.privacy_export, erase=services.privacy_erase, order=5)
        # After courses (10) and webinars (20), whose courses and trainer it uses; before certificates (30), whose
        # street-lawyer level counts the accepted case records it makes.
        demo.register_loader("practice", demo_content.load, order=25)
        dashboard.register_panel(
            "practice",
            template_name="practice/dashboard_panel.html",
            get_context=practice_dashboard.panel_context,
            order=25,
        )
