"""A small per-client limit on failed verification lookups, so codes cannot be guessed by brute force.

Only failures count: a QR code scanned a hundred times never trips it, while an enumeration (all misses) does.
Once over the limit, every lookup from that client is refused, so the refusal reveals nothing either.
"""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 600


def _limit() -> int:
    return getattr(settings, "CERTIFICATES_VERIFY_FAILURE_LIMIT", 30)


def failures_key(request) -> str:
    from allauth.account.adapter import get_adapter

    return f"certificates:verify-failures:{get_adapter(request).get_client_ip(request)}"


def is_limited(request) -> bool:
    return over_limit(cache.get(failures_key(request)) or 0)


def over_limit(failures: int) -> bool:
    return failures >= _limit()


def record_failure(request) -> None:
    key = failures_key(request)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)
