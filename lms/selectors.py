"""Reads of the core app that more than one path asks (HackSoft's selectors)."""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from wagtail.models import Page, Site

from .languages import reader_languages


def page_in_a_language_read(request, path: str) -> Page | None:
    """The page at `path` for a reader whose language has no live page there (Wagtail's route raised Http404).

    The page's own translation in the requested language when it lives at another path (a translated slug); else
    the page in the first language the reader reads (`reader_languages`), else in any language that has it; None
    when no language has a live page at `path`. Asked only for a page not found, so a found page costs nothing.
    """
    site = Site.find_for_request(request)
    if site is None:
        return None
    requested = translation.get_language()
    every_language = dict.fromkeys([*reader_languages(request), *dict(settings.LANGUAGES)])
    others = [code for code in every_language if code != requested]
    roots = {
        root.locale.language_code: root
        for root in site.root_page.get_translations(inclusive=True).select_related("locale").specific()
    }
    components = [component for component in path.split("/") if component]
    for language in others:
        if language not in roots:
            continue
        try:
            found = roots[language].route(request, components).page
        except Http404:
            continue
        versions = {
            page.locale.language_code: page
            for page in found.get_translations(inclusive=True).live().select_related("locale").specific()
        }
        for candidate in (requested, *others):
            if candidate in versions:
                return versions[candidate]
    return None
