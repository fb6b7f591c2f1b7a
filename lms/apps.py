from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform core")

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_out
        from django.db.models.signals import post_save, pre_delete

        from . import checks, middleware, privacy, restrictions  # noqa: F401 - checks registers the system checks
        from .caching import wagtail as wagtail_cache

        privacy.register_account_contributor()
        pre_delete.connect(privacy.erase_before_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="lms.erase")
        user_logged_out.connect(middleware.clear_on_sign_out, dispatch_uid="lms.clear_site_data")
        post_save.connect(restrictions.index_page_references, dispatch_uid="lms.index_page_references")
        wagtail_cache.install()
