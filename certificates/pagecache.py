"""The public verification page for anonymous visitors, in two layers, so that neither a repeated check nor
a first one renders the whole page.

1. **The page of each certificate**, kept under the certificate's current *version*: a random token in the
   shared cache, taken before the certificate is read, and forgotten by the services once a change to the
   certificate has committed (`forget`). The next check then finds no version, takes a new one and renders the
   new state, in every worker that shares the cache (a deployment with more than one worker shares Redis,
   docs/deploy.md). A page rendered from the old state while the change commits is stored under the old
   version, which no one asks for any more. The pages themselves are kept in each process (the `pages`
   cache): a worker renders a certificate's page once per version, and a check makes one round trip to the
   shared cache, which takes the version (creating it if there is none) and reads the client's rate-limit count
   together (`take_version`); a repeated check costs no query, a first one one. With Redis, a check made three
   or four round trips before, each a wait, then one or two.
2. **The layout around the facts**, the same for every certificate: rendered once per host and language with
   a mark where the facts go and a placeholder code in the language links, and kept in each process for
   LAYOUT_SECONDS, or until a page is published (the menu, lms/caching). A first check (or one after a
   change) costs one query and the small facts template. A new build of the static files (another manifest)
   starts a new layout at once.

A renamed level, the one other thing the page shows, shows within PAGE_SECONDS.
"""

import hashlib
import re
import secrets

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache, caches
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lms.caching import cached
from lms.caching.backends import add_and_get_many
from lms.context_processors import language_links

PAGE_SECONDS = 300


def version_key(code: str) -> str:
    return f"certificates:verify-version:{code}"


def _page_key(code: str, version: str, variant: tuple) -> str:
    return "certificates:verify-page:" + hashlib.sha256(repr((code, version, variant)).encode()).hexdigest()


def cached_page(code: str, version: str, variant: tuple) -> bytes | None:
    """The page as this process rendered it for this version of the certificate and this variant (language,
    time zone)."""
    return caches["pages"].get(_page_key(code, version, variant))


def take_version(code: str, *, also_read: tuple[str, ...] = ()) -> tuple[str, bool, dict]:
    """The certificate's version, created if there is none (take it *before* reading the certificate): the
    version, whether this call created it, and the values of the shared cache at `also_read` (the client's
    rate-limit count), all in one round trip (lms.caching.backends.add_and_get_many)."""
    key = version_key(code)
    proposed = secrets.token_hex(16)
    found = add_and_get_many(key, proposed, [key, *also_read], PAGE_SECONDS)
    version = found.get(key) or proposed  # no cache (Redis down) or forgotten just now: one no one asks for
    return version, version == proposed, found


def keep_page(code: str, version: str, variant: tuple, content: bytes) -> None:
    caches["pages"].set(_page_key(code, version, variant), content, PAGE_SECONDS)


def drop_version(code: str) -> None:
    """No certificate has this code, or the check was refused: leave nothing behind for it (random codes must
    not fill the cache)."""
    cache.delete(version_key(code))


def forget(codes: list[str]) -> None:
    """Call after changing these certificates, inside the change's transaction: their cached pages go once it
    commits (outside a transaction at once, which is why the change must come first)."""
    if codes:
        transaction.on_commit(lambda: cache.delete_many([version_key(code) for code in codes]))


LAYOUT_SECONDS = 300
FACTS_MARK = "<!--certificates:facts-->"
CODE_MARK = "CODE-MARK-00000000000000000000000000000000"  # well-formed (selectors.CODE_PATTERN), never issued


def _layout(request) -> tuple[str, str]:
    build = getattr(staticfiles_storage, "manifest_hash", "")  # ManifestStaticFilesStorage in production
    key = f"certificates:verify-layout:{request.get_host()}:{translation.get_language()}:{build}"
    return cached(key, lambda: _render_layout(request), LAYOUT_SECONDS)


def _render_layout(request) -> tuple[str, str]:
    links = language_links(reverse("certificates:verify", args=[CODE_MARK]))
    context = {"result": mark_safe(FACTS_MARK), "language_links": links}
    page = render_to_string("certificates/verify.html", context, request)
    return tuple(page.split(FACTS_MARK))


def public_page(request, code: str, facts: str) -> str:
    """The page for an anonymous visitor: the kept layout around `facts` (the rendered _verify_result.html)."""
    head, tail = _layout(request)
    return head.replace(CODE_MARK, code) + facts + tail


FACT_MARK = re.compile(r"certificates-fact-([a-z_]+)-mark")


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
    cached (lms/caching); the texts go in escaped, as the template escapes them, in one pass (a value that looks
    like a mark is not read as one). Rendering it cost a first check about a third of its CPU (bench/README.md)."""
    empty = sorted(name for name, value in context.items() if not value)  # with `revoked`, decides the shape
    key = f"certificates:facts:{translation.get_language()}:{','.join(empty)}"
    skeleton = cached(key, lambda: _render_skeleton(context))
    return mark_safe(FACT_MARK.sub(lambda match: escape(context[match.group(1)]), skeleton))


def _render_skeleton(context: dict) -> str:
    marks = {
        name: f"certificates-fact-{name}-mark" if isinstance(value, str) and value else value
        for name, value in context.items()
    }
    return render_to_string("certificates/_verify_result.html", marks)
