"""The site's languages in one place: `settings.LANGUAGES` (docs/translation.md, "Adding a language").

Model fields that store a language take `choices=language_choices`, a callable: Django's migrations keep the
reference, not the list, so adding a language to settings needs no migration.
"""

from django.conf import settings


def language_choices() -> list[tuple[str, str]]:
    """Every language of the site as (code, name in that language), in the order of settings.LANGUAGES."""
    return list(settings.LANGUAGES)
