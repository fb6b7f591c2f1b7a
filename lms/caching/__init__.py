"""The platform's caches, in one package.

* This module: values read from the site's structure (the request's site and locale, routes, a course's lessons,
  the menu, the certificate ladder), cached in each process under a shared *generation* and invalidated all at
  once by `invalidate_all`, connected to every change that alters them.
* `backends.py`: the shared cache (Redis through django-redis, kept up while Redis is down).
* `wagtail.py`: Wagtail's per-request look-ups answered from this cache (patches, checked against Wagtail's
  version).

**Where the values live.** In each process's own memory (the `local` cache), under the generation: a random
token in the shared cache (Redis when there are several workers, docs/deploy.md), replaced by `invalidate_all`
whenever a site, a locale, a view restriction or the ladder is saved or deleted, or a page is published,
unpublished (which Wagtail does first when it deletes a live page) or moved: the only ways the live version of a
page changes (saving a draft leaves it alone). A process reads the token at most once every GENERATION_SECONDS,
so a change made in one worker reaches the others within that second, and the worker that made it at once. With
Redis, each read of the shared cache cost 0.2 ms of CPU and a lesson made thirteen (bench/README.md); in memory,
reads cost a few microseconds. Every reader gets its own copy (the local cache pickles), never an object another
request is using.
"""

import secrets
import time

from django.core.cache import cache, caches
from django.db import transaction

GENERATION_KEY = "lms:generation"
GENERATION_SECONDS = 1.0
CACHE_SECONDS = 300

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


def invalidate_all(**kwargs) -> None:
    """Receiver: the site's structure changed; every process stops using its cached values (within a second).
    A new generation at once, so this process sees its own change, and again once the change commits: what
    another process read in between was still the old state, and is dropped too."""
    new_generation()
    transaction.on_commit(new_generation)


def new_generation() -> None:
    """A new token now: every process drops what it cached (within a second; this one at once)."""
    global _generation
    token = secrets.token_hex(8)
    cache.set(GENERATION_KEY, token, None)
    _generation = (token, time.monotonic())


def cache_value(key: str, value, seconds: int = CACHE_SECONDS) -> None:
    """Cache `value` under `key` in this process, for this generation."""
    caches["local"].set(f"{key}@{generation()}", value, seconds)


def cached(key: str, compute=None, seconds: int = CACHE_SECONDS):
    """The value cached in this process for `key` in this generation; if there is none, `compute()`'s, cached for
    at most `seconds` (None is never cached; without `compute`, None)."""
    value = caches["local"].get(f"{key}@{generation()}")
    if value is None and compute is not None:
        value = compute()
        if value is not None:
            cache_value(key, value, seconds)
    return value
