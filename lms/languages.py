"""The site's languages in one place: `settings.LANGUAGES` (docs/translation.md, "Adding a language").

Model fields that store a language take `choices=language_choices`, a callable: Django's migrations keep the
reference, not the list, so adding a language to settings needs no migration.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def language_choices() -> list[tuple[str, str]]:
    """Every language of the site as (code, name in that language), in the order of settings.LANGUAGES."""
    return list(settings.LANGUAGES)


def reader_languages(request) -> list[str]:
    """The site's languages this reader reads, best first: the one their profile names, then their browser's
    (Accept-Language, in its order of preference), then the site's default, which every page starts in."""
    site_languages = dict(settings.LANGUAGES)
    wanted = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        wanted.append(user.preferred_language)
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        try:
            wanted.append(translation.get_supported_language_variant(code))
        except LookupError:
            continue
    wanted.append(settings.LANGUAGE_CODE)
    return [code for code in dict.fromkeys(wanted) if code in site_languages]


def set_language_cookie(response, language: str) -> None:
    """Remember `language` in the browser as Django's language switcher does (the cookie it reads)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
