"""Wagtail's look-ups of every page (the request's site, the active locale, the view restrictions, the route
from a URL to its page) and the other reads of the site's structure, kept in each process.

Wagtail asks the database for the site on every request (a query with a CASE per hostname match, the costliest
of an anonymous page: about a third of a public certificate check, bench/README.md), for the locale of the
active language, and, before serving a page, for the view restrictions of the page and its ancestors (two
queries). Routing walks the tree one level at a time, two queries per level in Wagtail (one in ours, for pages
whose children are all of one type), so a lesson cost five. For view restrictions only "there are none
anywhere" is kept: once an editor restricts a page, every page asks Wagtail again. `cached_route` keeps the page
a path led to, as routing found it; Wagtail's `route` still checks that it is live; `route_to_child` keeps
the pages routing passes through (the catalogue, a course), so a path not yet kept costs one query. Other reads of the
structure (a course's list of lessons, the menu, the certificate ladder) use `kept` too.

**Where they are kept.** In each process's own memory (the `local` cache), under the *generation*: a random
token in the shared cache (Redis when there are several workers, docs/deploy.md), replaced by `renew` whenever
a site, a locale, a view restriction or the ladder is saved or deleted, or a page is published, unpublished
(which Wagtail does first when it deletes a live page) or moved: the only ways the live version of a page
changes (saving a draft leaves it alone). A process reads the token at most once every GENERATION_SECONDS, so a
change made in one worker reaches the others within that second, and the worker that made it at once. With
Redis, each read of the shared cache cost 0.2 ms of CPU and a lesson made thirteen (bench/README.md); in
memory, reads cost a few microseconds. Every reader gets its own copy (the local cache pickles), never an
object another request is using.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

GENERATION_KEY = "lms:generation"
GENERATION_SECONDS = 1.0
LOOKUP_SECONDS = 300
MAX_HOSTS = 32  # the raw Host header picks the entry: never let unknown hosts grow it without end

_generation: tuple[str, float] = ("", 0.0)  # this process's copy of the token, and when it was read


def generation() -> str:
    """The current generation: the shared token, read again once it is GENERATION_SECONDS old."""
    global _generation
    token, read_at = _generation
    now = time.monotonic()
    if not token or now - read_at >= GENERATION_SECONDS:
        # the first process to ask creates it; without a reachable shared cache the new token is this process's
        token = cache.get_or_set(GENERATION_KEY, lambda: secrets.token_hex(8), None)
        _generation = (token, now)
    return token


def renew(**kwargs) -> None:
    """Receiver: the site's structure changed; every process stops using what it kept (within a second). Renewed
    at once, so this process sees its own change, and again once the change commits: what another process read
    in between was still the old state, and is dropped too."""
    new_generation()
    transaction.on_commit(new_generation)


def new_generation() -> None:
    """A new token: every process drops what it kept (within a second; this one at once)."""
    global _generation
    token = secrets.token_hex(8)
    cache.set(GENERATION_KEY, token, None)
    _generation = (token, time.monotonic())


def keep(key: str, value, seconds: int = LOOKUP_SECONDS) -> None:
    caches["local"].set(f"{key}@{generation()}", value, seconds)


def kept(key: str, compute=None, seconds: int = LOOKUP_SECONDS):
    """The value kept in this process for `key` in this generation; if there is none, `compute()`'s, kept for at
    most `seconds` (None is never kept; without `compute`, None)."""
    value = caches["local"].get(f"{key}@{generation()}")
    if value is None and compute is not None:
        value = compute()
        if value is not None:
            keep(key, value, seconds)
    return value


def find_site_for_request(request) -> Site | None:
    """Wagtail's `Site._find_for_request`, answered from what is kept: {(hostname, port): site or None}."""
    hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()  # as Wagtail does
    sites = kept("lms:sites", dict)
    if (hostname, port) in sites:
        return sites[(hostname, port)]
    try:
        site = get_site_for_hostname(hostname, port)
        site.root_page = site.root_page.specific  # routing starts from it: kept specific, no query per request
    except Site.DoesNotExist:
        site = None
    if len(sites) < MAX_HOSTS:
        keep("lms:sites", {**sites, (hostname, port): site})
    return site


def active_locale() -> Locale:
    """Wagtail's `Locale.get_active`, answered from what is kept."""
    return kept(f"lms:locale:{translation.get_language() or settings.LANGUAGE_CODE}", _uncached_active_locale)


def view_restrictions(page):
    """Wagtail's `Page.get_view_restrictions`, without a query while no page has a restriction."""
    if not kept("lms:any-view-restriction", PageViewRestriction.objects.exists):
        return PageViewRestriction.objects.none()
    return _uncached_view_restrictions(page)


def cached_route(page, request, path_components, route):
    """`route(request, path_components)`, Wagtail's routing below `page`, answered with the page it found last
    time in this generation, as it was then (with the parents routing gave it: a lesson knows its course). Only
    plain results are kept (a page, no view arguments): a routable page's sub-routes are always routed."""
    key = "lms:route:" + hashlib.sha256(repr((page.pk, path_components)).encode()).hexdigest()
    found = kept(key)
    if found is not None:
        return found.route(request, [])  # Wagtail's own check: a page that is no longer live is a 404
    result = route(request, path_components)
    target, args, kwargs = result
    if not args and not kwargs:
        keep(key, target)  # before it is served, so nothing rendered is stored with it
    return result


def route_to_child(parent, request, path_components, find_child):
    """Wagtail's routing one level down, with `find_child(parent, slug)` fetching the child as its specific type
    (one query where the children are all of one type; Wagtail's takes two). A child that routing passes through
    on the way to a page below it (the catalogue and a course, on the way to each of the course's lessons) is
    kept in this generation, so a path not yet kept costs one query, not one or two per level."""
    slug, rest = path_components[0], path_components[1:]

    def find():
        return find_child(parent, slug)

    child = kept(f"lms:page-on-the-way:{parent.pk}:{slug}", find) if rest else find()
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
    """Route Wagtail's look-ups through what is kept and connect the signals that renew it (LmsConfig.ready)."""
    Site._find_for_request = staticmethod(find_site_for_request)
    Locale.get_active = staticmethod(active_locale)
    Page.get_view_restrictions = view_restrictions
    for model in (Site, Locale, PageViewRestriction):  # a site's deletion also covers its root page's
        for name, signal in (("saved", post_save), ("deleted", post_delete)):
            signal.connect(renew, sender=model, dispatch_uid=f"lms-renew-{model.__name__}-{name}")
    for name, signal in (("published", page_published), ("unpublished", page_unpublished), ("moved", post_page_move)):
        signal.connect(renew, dispatch_uid=f"lms-renew-page-{name}")
