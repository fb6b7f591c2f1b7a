from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from lms import dashboard, demo, privacy

        from . import dashboard as courses_dashboard
        from . import demo as courses_demo
        from . import services

        dashboard.register_panel(
            "courses",
            template_name="courses/dashboard_panel.html",
            get_context=courses_dashboard.panel_context,
            order=10,
        )
        privacy.register("courses", export=services.privacy_export, erase=services.privacy_erase, order=10)
        demo.register_loader("courses", courses_demo.load, order=10)
