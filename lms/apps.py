from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform core")

    def ready(self):
        from . import lookups, privacy

        privacy.register_account_contributor()
        lookups.install()
