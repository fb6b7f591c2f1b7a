from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from lms import dashboard, demo, privacy, translation_status

        from . import dashboard as courses_dashboard
        from . import demo as courses_demo
        from . import models, services

        dashboard.register_panel(
            "courses",
            template_name="courses/dashboard_panel.html",
            get_context=courses_dashboard.panel_context,
            order=10,
        )
        privacy.register("courses", export=services.privacy_export, erase=services.privacy_erase, order=10)
        demo.register_loader("courses", courses_demo.load, order=10)
        translation_status.register_kind("courses", label=_("Courses"), model=models.CoursePage, order=10)
        translation_status.register_kind("lessons", label=_("Lessons"), model=models.LessonPage, order=11)
