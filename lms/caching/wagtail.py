"""Wagtail's per-request look-ups, answered from the process's cache (lms/caching): patches of Wagtail.

Wagtail asks the database for the site on every request (a query with a CASE per hostname match, the costliest
of an anonymous page: about a third of a public certificate check, bench/README.md), for the locale of the
active language, and, before serving a page, for the view restrictions of the page and its ancestors (two
queries). Routing walks the tree one level at a time, two queries per level in Wagtail (one in ours, for pages
whose children are all of one type), so a lesson cost five. For view restrictions only "there are none
anywhere" is cached: once an editor restricts a page, every page asks Wagtail again. `cached_route` caches the
page a path led to, as routing found it; Wagtail's `route` still checks that it is live; `route_to_child` caches
the pages routing passes through (the catalogue, a course), so a path not yet cached costs one query.

Wagtail has no extension point for these, so `install()` replaces three of its methods (`Site._find_for_request`,
`Locale.get_active`, `Page.get_view_restrictions`), and the page classes route through `cached_route` and
`route_to_child`. They rely on Wagtail's private behaviour as of PATCHED_WAGTAIL; a system check (lms.W010)
warns when another version runs, until someone has read these functions against it and moved PATCHED_WAGTAIL.
"""

import hashlib

import wagtail
from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cache_value, cached, invalidate_all

PATCHED_WAGTAIL = (8, 0)  # the (major, minor) version these patches were read against
WAGTAIL_VERSION_ID = "lms.W010"
ANY_VIEW_RESTRICTION_KEY = "lms:any-view-restriction"
MAX_HOSTS = 32  # the raw Host header picks the entry: never let unknown hosts grow it without end


def find_site_for_request(request) -> Site | None:
    """Wagtail's `Site._find_for_request`, answered from the cache: {(hostname, port): site or None}."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()  # as Wagtail does
    sites = cached("lms:sites", dict)
    if (hostname, port) in sites:
        return sites[(hostname, port)]
    try:
        site = get_site_for_hostname(hostname, port)
        site.root_page = site.root_page.specific  # routing starts from it: cached specific, no query per request
    except Site.DoesNotExist:
        site = None
    if len(sites) < MAX_HOSTS:
        cache_value("lms:sites", {**sites, (hostname, port): site})
    return site


def active_locale() -> Locale:
    """Wagtail's `Locale.get_active`, answered from the cache."""
    return cached(f"lms:locale:{translation.get_language() or settings.LANGUAGE_CODE}", _uncached_active_locale)


def any_view_restriction() -> bool:
    """Has any page a view restriction? Cached: no query while no page has one."""
    return cached(ANY_VIEW_RESTRICTION_KEY, PageViewRestriction.objects.exists)


def view_restrictions(page):
    """Wagtail's `Page.get_view_restrictions`, without a query while no page has a restriction."""
    if not any_view_restriction():
        return PageViewRestriction.objects.none()
    return _uncached_view_restrictions(page)


def cached_route(page, request, path_components, route):
    """`route(request, path_components)`, Wagtail's routing below `page`, answered with the page it found last
    time in this generation, as it was then (with the parents routing gave it: a lesson knows its course). Only
    plain results are cached (a page, no view arguments): a routable page's sub-routes are always routed."""
    key = "lms:route:" + hashlib.sha256(repr((page.pk, path_components)).encode()).hexdigest()
    found = cached(key)
    if found is not None:
        return found.route(request, [])  # Wagtail's own check: a page that is no longer live is a 404
    result = route(request, path_components)
    target, args, kwargs = result
    if not args and not kwargs:
        cache_value(key, target)  # before it is served, so nothing rendered is stored with it
    return result


def route_to_child(parent, request, path_components, find_child):
    """Wagtail's routing one level down, with `find_child(parent, slug)` fetching the child as its specific type
    (one query where the children are all of one type; Wagtail's takes two). A child that routing passes through
    on the way to a page below it (the catalogue and a course, on the way to each of the course's lessons) is
    cached in this generation, so a path not yet cached costs one query, not one or two per level."""
    slug, rest = path_components[0], path_components[1:]

    def find():
        return find_child(parent, slug)

    child = cached(f"lms:page-on-the-way:{parent.pk}:{slug}", find) if rest else find()
    if child is None:
        raise Http404
    child._cached_parent_obj = parent  # treebeard's get_parent() uses it: a lesson knows its course for free
    return child.route(request, rest)


def specific_child(parent, slug: str):
    """The child of `parent` at `slug` as its specific type, for parents with children of several types."""
    return parent.get_children().filter(slug=slug).specific().first()


_uncached_active_locale = Locale.get_active  # bound to Locale before install() replaces it
_uncached_view_restrictions = Page.get_view_restrictions


def install() -> None:
    """Route Wagtail's look-ups through the cache and connect the signals that invalidate it (LmsConfig.ready)."""
    Site._find_for_request = staticmethod(find_site_for_request)
    Locale.get_active = staticmethod(active_locale)
    Page.get_view_restrictions = view_restrictions
    for model in (Site, Locale, PageViewRestriction):  # a site's deletion also covers its root page's
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(invalidate_all, sender=model, dispatch_uid=f"lms-invalidate-{model.__name__}-{name}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(invalidate_all, dispatch_uid=f"lms-invalidate-page-{name}")


@register(Tags.compatibility)
def check_wagtail_version(app_configs=None, **kwargs):
    """The patches above were read against PATCHED_WAGTAIL: another Wagtail may have changed what they replace."""
    running = tuple(wagtail.VERSION[:2])
    if running == PATCHED_WAGTAIL:
        return []
    return [
        Warning(
            f"lms/caching/wagtail.py patches Wagtail {'.'.join(map(str, PATCHED_WAGTAIL))}, but Wagtail "
            f"{'.'.join(map(str, running))} is installed.",
            hint="Compare Site._find_for_request, Locale.get_active, Page.get_view_restrictions and Page.route in "
            "the installed Wagtail with the functions they are replaced by, then set PATCHED_WAGTAIL.",
            id=WAGTAIL_VERSION_ID,
        )
    ]
