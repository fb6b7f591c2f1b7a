from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticeConfig(AppConfig):
    name = "practice"
    verbose_name = _("Field practice")

    def ready(self):
        from lms import privacy

        from . import services

        # Before courses (10): an account's records are erased while its enrolments still say whose they were.
        privacy.register("practice", export=services.privacy_export, erase=services.privacy_erase, order=5)
