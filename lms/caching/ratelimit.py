"""Per-client counters in the shared cache, for limits such as "at most N actions a minute".

A counter starts at a client's first counted action and expires `seconds` later (one `add`, then `incr`): the
window is the client's own, not the clock's. The callers compare the count with their limit. While the shared
cache cannot be reached nothing is counted and every action is allowed (backends.py: `add` succeeds, `incr`
raises ValueError): a limit must never lock people out because Redis is down.
"""

from django.core.cache import cache


class RateLimit:
    """A counter per client under `name`, each for a window of `seconds`."""

    def __init__(self, name: str, *, seconds: int):
        self.name = name
        self.seconds = seconds

    def key(self, client: str) -> str:
        return f"{self.name}:{client}"

    def count(self, client: str) -> int:
        """What `client` has done in its current window."""
        return cache.get(self.key(client)) or 0

    def hit(self, client: str) -> int:
        """Count one more action of `client`; the count in its window, this one included."""
        key = self.key(client)
        if cache.add(key, 1, self.seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # it expired between add and incr, or the cache is unreachable
            cache.add(key, 1, self.seconds)
            return 1
