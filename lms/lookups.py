"""Wagtail's look-ups of every page, the request's site, the active locale, the view restrictions and the
route from a URL to its page, cached.

Wagtail asks the database for the site on every request (a query with a CASE per hostname match, the costliest
of an anonymous page: about a third of a public certificate check, bench/README.md), for the locale of the
active language, and, before serving a page, for the view restrictions of the page and its ancestors (two
queries). These tables change a few times in a site's life, so the answers are kept in the default cache
(shared by the workers, docs/deploy.md) and dropped whenever a site, a locale, a view restriction or a page
that can be a site's root changes. For view restrictions only "there are none anywhere" is cached: once an
editor restricts a page, every page asks Wagtail again. Every reader gets its own copy out of the cache, never
an object another request is using.

Routing walks the tree one level at a time, two queries per level in Wagtail (one in ours, for the pages whose
children are all of one type), so a lesson cost five. `cached_route` keeps the page a path led to, as routing
found it, under the *pages generation*: a token replaced whenever a page is published, unpublished (which
Wagtail does first when it deletes a live page) or moved, the only ways the live version of a page changes
(saving a draft leaves it alone). A known
path then costs no query; Wagtail's `route` still checks that the page is live. Other per-tree reads (a
course's list of lessons) are kept under the same generation.
"""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

SITES_KEY = "lms:sites"
PAGES_GENERATION_KEY = "lms:pages-generation"
ANY_RESTRICTION_KEY = "lms:any-view-restriction"
LOOKUP_SECONDS = 300
MAX_HOSTS = 32  # the raw Host header picks the entry: never let unknown hosts grow it without end


def _locale_key(language_code: str) -> str:
    return f"lms:locale:{language_code}"


def find_site_for_request(request) -> Site | None:
    """Wagtail's `Site._find_for_request`, answered from the cache: {(hostname, port): site or None}."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()  # as Wagtail does
    sites = cache.get(SITES_KEY) or {}
    if (hostname, port) in sites:
        return sites[(hostname, port)]
    try:
        site = get_site_for_hostname(hostname, port)
        site.root_page = site.root_page.specific  # routing starts from it: kept specific, no query per request
    except Site.DoesNotExist:
        site = None
    if len(sites) < MAX_HOSTS:
        cache.set(SITES_KEY, {**sites, (hostname, port): site}, LOOKUP_SECONDS)
    return site


def active_locale() -> Locale:
    """Wagtail's `Locale.get_active`, answered from the cache."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    locale = cache.get(_locale_key(language))
    if locale is None:
        locale = _uncached_active_locale()
        cache.set(_locale_key(language), locale, LOOKUP_SECONDS)
    return locale


def view_restrictions(page):
    """Wagtail's `Page.get_view_restrictions`, without a query while no page has a restriction."""
    if not cache.get_or_set(ANY_RESTRICTION_KEY, PageViewRestriction.objects.exists, LOOKUP_SECONDS):
        return PageViewRestriction.objects.none()
    return _uncached_view_restrictions(page)


def pages_generation() -> str:
    """The current generation of the page tree: a random token, replaced by every change to a live page."""
    generation = cache.get(PAGES_GENERATION_KEY)
    if generation is None:
        cache.add(PAGES_GENERATION_KEY, secrets.token_hex(8), LOOKUP_SECONDS)
        generation = cache.get(PAGES_GENERATION_KEY) or ""
    return generation


def cached_route(page, request, path_components, route):
    """`route(request, path_components)`, Wagtail's routing below `page`, answered with the page it found last
    time in this generation, as it was then (with the parents routing gave it: a lesson knows its course). Only
    plain results are kept (a page, no view arguments): a routable page's sub-routes are always routed."""
    key = "lms:route:" + hashlib.sha256(repr((page.pk, path_components, pages_generation())).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found.route(request, [])  # Wagtail's own check: a page that is no longer live is a 404
    result = route(request, path_components)
    target, args, kwargs = result
    if not args and not kwargs:
        cache.set(key, target, LOOKUP_SECONDS)  # before it is served, so nothing rendered is stored with it
    return result


def forget_pages(**kwargs) -> None:
    """Receiver: a page was published, unpublished or moved; every route and per-tree read is renewed."""
    cache.delete(PAGES_GENERATION_KEY)


def forget_sites(**kwargs) -> None:
    cache.delete(SITES_KEY)


def forget_locales(**kwargs) -> None:
    cache.delete_many([_locale_key(code) for code, _name in settings.LANGUAGES])


def forget_restrictions(**kwargs) -> None:
    cache.delete(ANY_RESTRICTION_KEY)


_uncached_active_locale = Locale.get_active  # bound to Locale before install() replaces it
_uncached_view_restrictions = Page.get_view_restrictions


def install() -> None:
    """Route Wagtail's look-ups through the cache and connect the signals that empty it (LmsConfig.ready)."""
    Site._find_for_request = staticmethod(find_site_for_request)
    Locale.get_active = staticmethod(active_locale)
    Page.get_view_restrictions = view_restrictions
    post_save.connect(forget_sites, sender=Site, dispatch_uid="lms-forget-sites")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="lms-forget-sites-deleted")  # also on root deletion
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(forget_sites, dispatch_uid=f"lms-forget-sites-page-{name}")
        signal.connect(forget_pages, dispatch_uid=f"lms-forget-pages-{name}")
    post_save.connect(forget_locales, sender=Locale, dispatch_uid="lms-forget-locales")
    post_delete.connect(forget_locales, sender=Locale, dispatch_uid="lms-forget-locales-deleted")
    post_save.connect(forget_restrictions, sender=PageViewRestriction, dispatch_uid="lms-forget-restrictions")
    post_delete.connect(forget_restrictions, sender=PageViewRestriction, dispatch_uid="lms-forget-restrictions-gone")
