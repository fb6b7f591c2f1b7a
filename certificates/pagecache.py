"""The public verification page for anonymous visitors, cached (lms/caching/pages.py) in two layers, so that
neither a repeated check nor a first one renders the whole page; and the limit on failed lookups that guards it.

1. **The page of each certificate**, cached under the certificate's current *version*: a random token in the
   shared cache, taken before the certificate is read, and deleted by the services once a change to the
   certificate has committed (`invalidate`). The next check then finds no version, takes a new one and renders the
   new state, in every worker that shares the cache (a deployment with more than one worker shares Redis,
   docs/deploy.md). A page rendered from the old state while the change commits is stored under the old
   version, which no one asks for any more. The pages themselves are cached in each process (the `pages`
   cache): a worker renders a certificate's page once per version, and a check makes one round trip to the
   shared cache, which takes the version (creating it if there is none) and reads the client's failed-lookup
   count together (`verification_page`); a repeated check costs no query, a first one one. With Redis, a check
   made three or four round trips before, each a wait, then one or two.
2. **The layout around the facts**, the same for every certificate: rendered once per host and language with
   a mark where the facts go and a placeholder code in the language links, and cached in each process for
   LAYOUT_SECONDS, or until a page is published (the menu, lms/caching). A first check (or one after a
   change) costs one query and the small facts template. A new build of the static files (another manifest)
   starts a new layout at once.

A renamed level, the one other thing the page shows, shows within PAGE_SECONDS.

**Failed lookups** are limited per client (FAILED_LOOKUPS, lms/caching/ratelimit.py), so codes cannot be guessed
by brute force. Only failures count: a QR code scanned a hundred times never trips it, while an enumeration (all
misses) does. Once over the limit, every lookup from that client is refused, so the refusal reveals nothing.
"""

import secrets

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lms.caching import cached
from lms.caching.backends import add_and_get_many
from lms.caching.pages import cached_response, fill, mark, page_key
from lms.caching.ratelimit import RateLimit
from lms.context_processors import language_links

PAGE_SECONDS = 300
FAILED_LOOKUPS = RateLimit("certificates:verify-failures", seconds=600)


def failed_lookups_limit() -> int:
    return getattr(settings, "CERTIFICATES_VERIFY_FAILURE_LIMIT", 30)


def _client(request) -> str:
    from allauth.account.adapter import get_adapter

    return get_adapter(request).get_client_ip(request)


def lookups_refused(request) -> bool:
    """Has this client failed too many lookups? Then every lookup is refused."""
    return FAILED_LOOKUPS.count(_client(request)) >= failed_lookups_limit()


def record_failed_lookup(request) -> None:
    FAILED_LOOKUPS.hit(_client(request))


def verification_page(request, code: str, *, render, refused):
    """The public page of the certificate with `code` for an anonymous visitor: `refused()` when the client has
    failed too many lookups, else the page cached for the certificate's version, else `render()`'s, cached when
    it is a 200 (a miss leaves nothing behind). One round trip to the shared cache."""
    failures_key = FAILED_LOOKUPS.key(_client(request))
    version, created, found = take_version(code, also_read=(failures_key,))
    if (found.get(failures_key) or 0) >= failed_lookups_limit():
        if created:
            _drop_version(code)
        return refused()
    variant = (translation.get_language(), timezone.get_current_timezone_name())
    response = cached_response(request, certificate_page_key(code, version, variant), render, seconds=PAGE_SECONDS)
    if response.status_code != 200:
        _drop_version(code)
    return response


def version_key(code: str) -> str:
    return f"certificates:verify-version:{code}"


def certificate_page_key(code: str, version: str, variant: tuple) -> str:
    return page_key("certificates:verify-page", (code, version, variant))


def take_version(code: str, *, also_read: tuple[str, ...] = ()) -> tuple[str, bool, dict]:
    """The certificate's version, created if there is none (take it *before* reading the certificate): the
    version, whether this call created it, and the values of the shared cache at `also_read`, all in one round
    trip (lms.caching.backends.add_and_get_many)."""
    key = version_key(code)
    proposed = secrets.token_hex(16)
    found = add_and_get_many(key, proposed, [key, *also_read], PAGE_SECONDS)
    version = found.get(key) or proposed  # no cache (Redis down) or retired just now: one no one asks for
    return version, version == proposed, found


def _drop_version(code: str) -> None:
    """No certificate has this code, or the check was refused: leave nothing behind for it (random codes must
    not fill the cache)."""
    cache.delete(version_key(code))


def invalidate(codes: list[str]) -> None:
    """Call after changing these certificates, inside the change's transaction: their cached pages go once it
    commits (outside a transaction at once, which is why the change must come first)."""
    if codes:
        transaction.on_commit(lambda: cache.delete_many([version_key(code) for code in codes]))


LAYOUT_SECONDS = 300
FACTS_MARK = mark("certificates-facts")
CODE_MARK = mark("certificate-code-" + "0" * 32)  # well-formed (selectors.CODE_PATTERN), never issued


def _layout(request) -> str:
    build = getattr(staticfiles_storage, "manifest_hash", "")  # ManifestStaticFilesStorage in production
    key = f"certificates:verify-layout:{request.get_host()}:{translation.get_language()}:{build}"
    return cached(key, lambda: _render_layout(request), LAYOUT_SECONDS)


def _render_layout(request) -> str:
    links = language_links(reverse("certificates:verify", args=[CODE_MARK]))
    context = {"result": mark_safe(FACTS_MARK), "language_links": links}
    return render_to_string("certificates/verify.html", context, request)


def public_page(request, code: str, facts: str) -> str:
    """The page for an anonymous visitor: the cached layout around `facts` (the rendered _verify_result.html)."""
    return fill(_layout(request), {CODE_MARK: code, FACTS_MARK: facts})


def facts_context(certificate, *, level_name: str, linkedin_url: str) -> dict:
    """What `_verify_result.html` shows of a certificate, as text (dates in the visitor's time zone, as the
    template's `date` filter would give them)."""
    revoked = certificate.is_revoked
    return {
        "revoked": revoked,
        "revoked_on": formats.date_format(timezone.localtime(certificate.revoked_at), "DATE_FORMAT") if revoked else "",
        "reason": certificate.revocation_reason_shown if revoked and certificate.revocation_reason_public else "",
        "holder_name": certificate.holder_name,
        "level_name": level_name,
        "issued_on": formats.date_format(timezone.localtime(certificate.issued_at), "DATE_FORMAT"),
        "issuer_name": certificate.issuer_name,
        "serial": certificate.serial,
        "linkedin_url": linkedin_url,
    }


def facts(context: dict) -> SafeString:
    """`_verify_result.html` for this context, without rendering it: the template is rendered once per language
    and shape (valid or revoked; with a reason, a holder, a LinkedIn link or not) with a mark in each text, and
    cached (lms/caching); the texts go in escaped, as the template escapes them. Rendering it cost a first check
    about a third of its CPU (bench/README.md)."""
    empty = sorted(name for name, value in context.items() if not value)  # with `revoked`, decides the shape
    key = f"certificates:facts:{translation.get_language()}:{','.join(empty)}"
    skeleton = cached(key, lambda: _render_skeleton(context))
    return mark_safe(fill(skeleton, {_fact_mark(name): escape(value) for name, value in _texts(context)}))


def _fact_mark(name: str) -> str:
    return mark(f"certificates-fact-{name}")


def _texts(context: dict):
    return [(name, value) for name, value in context.items() if isinstance(value, str) and value]


def _render_skeleton(context: dict) -> str:
    return render_to_string(
        "certificates/_verify_result.html", {**context, **{n: _fact_mark(n) for n, _ in _texts(context)}}
    )
