from django.apps import AppConfig


class FrontendConfig(AppConfig):
    """Base templates, the one CSS file, icons and the small amount of JS; no build step."""

    name = "frontend"
    verbose_name = "Frontend"
