"""The public verification page, kept rendered per certificate until that certificate changes.

A QR code on a poster or a link in a CV is checked again and again, and a check used to cost a query and a
render. Rendered pages are stored under the certificate's current *version*: a random token in the cache,
taken before the certificate is read, and forgotten by the services once a change to the certificate has
committed (`forget`). The next check then finds no version, takes a new one and renders the new state, in
every worker that shares the cache (a deployment with more than one worker shares Redis, docs/deploy.md). A
page rendered from the old state while the change commits is stored under the old version, which no one asks
for any more. A renamed level, the one other thing the page shows, shows within PAGE_SECONDS.
"""

import hashlib
import secrets

from django.core.cache import cache
from django.db import transaction

PAGE_SECONDS = 300


def version_key(code: str) -> str:
    return f"certificates:verify-version:{code}"


def _page_key(code: str, version: str, variant: tuple) -> str:
    return "certificates:verify-page:" + hashlib.sha256(repr((code, version, variant)).encode()).hexdigest()


def cached_page(code: str, variant: tuple) -> bytes | None:
    """The page as last rendered for this version of the certificate and this variant (language, time zone)."""
    version = cache.get(version_key(code))
    return None if version is None else cache.get(_page_key(code, version, variant))


def current_version(code: str) -> str:
    """The certificate's version, created if there is none; take it *before* reading the certificate."""
    key = version_key(code)
    proposed = secrets.token_hex(16)
    cache.add(key, proposed, PAGE_SECONDS)
    return cache.get(key) or proposed  # no cache (Redis down): a version no one will ever ask for


def keep_page(code: str, version: str, variant: tuple, content: bytes) -> None:
    cache.set(_page_key(code, version, variant), content, PAGE_SECONDS)


def drop_version(code: str) -> None:
    """No certificate has this code: leave nothing behind for it (random codes must not fill the cache)."""
    cache.delete(version_key(code))


def forget(codes: list[str]) -> None:
    """Call after changing these certificates, inside the change's transaction: their cached pages go once it
    commits (outside a transaction at once, which is why the change must come first)."""
    if codes:
        transaction.on_commit(lambda: cache.delete_many([version_key(code) for code in codes]))
