from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from lms import dashboard, demo, privacy, translation_status

        from . import checks, receivers  # noqa: F401 - checks registers itself
        from . import dashboard as panel
        from . import demo as demo_content
        from . import privacy as privacy_hooks
        from .models import LevelText

        receivers.connect()
        dashboard.register_panel(
            "certificates", template_name="certificates/dashboard_panel.html", get_context=panel.panel_context, order=30
        )
        privacy.register("certificates", export=privacy_hooks.export, erase=privacy_hooks.erase, order=30)
        demo.register_loader("certificates", demo_content.load, order=30)
        translation_status.register_kind(
            "level_texts", label=_("Level texts"), model=LevelText, title_field="name", order=30
        )
