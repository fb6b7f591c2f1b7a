from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from lms import dashboard, demo, privacy

        from . import checks, receivers  # noqa: F401 - checks registers itself
        from . import dashboard as panel
        from . import demo as demo_content
        from . import privacy as privacy_hooks

        receivers.connect()
        dashboard.register_panel(
            "certificates", template_name="certificates/dashboard_panel.html", get_context=panel.panel_context, order=30
        )
        privacy.register("certificates", export=privacy_hooks.export, erase=privacy_hooks.erase, order=30)
        demo.register_loader("certificates", demo_content.load, order=30)
