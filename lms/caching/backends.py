"""Redis as a cache, never as a point of failure: django-redis with `IGNORE_EXCEPTIONS`, and two additions.

Sessions (`cached_db`), rate limits, Wagtail's site-root paths and the certificates' status list all go through
the default cache. With `IGNORE_EXCEPTIONS` (lms/settings/base.py), while Redis cannot be reached reads miss,
writes are dropped and django-redis logs "Exception ignored": sessions are read from the database, and rate limits
let requests through until Redis is back (the live room's own limits do the same). On top of that:

* `add` reports success, so that a lock built on it (allauth's rate-limit lock) is not waited for and then
  refused: with django-redis's plain `None` every sign-in got a 429 during the outage. `incr` raises ValueError
  (the counter is missing) instead of returning `None`, as the rate limiters expect of a missing counter.
* `add_and_get_many`, one pipelined round trip (certificates/pagecache.py).
"""

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.cache import RedisCache as DjangoRedisCache
from django_redis.cache import omit_exception
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError, TimeoutError


class RedisCache(DjangoRedisCache):
    def add(self, *args, **kwargs):
        added = super().add(*args, **kwargs)
        return True if added is None else added  # None: Redis is unreachable and the error was ignored

    def incr(self, key, *args, **kwargs):
        value = super().incr(key, *args, **kwargs)
        if value is None:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    @omit_exception(return_value={})
    def add_and_get_many(self, key, value, keys, timeout=DEFAULT_TIMEOUT):
        """`add(key, value, timeout)`, then `get_many(keys)`, in one round trip: a pipeline (not a transaction)
        runs both on one connection, in that order."""
        client = self.client
        made = {client.make_key(name): name for name in keys}
        redis = client.get_client(write=True)
        pipeline = redis.pipeline(transaction=False)
        if timeout is DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        if timeout is None or timeout > 0:  # a value that expires at once leaves nothing to read, as with `add`
            expires = None if timeout is None else int(timeout * 1000)
            pipeline.set(client.make_key(key), client.encode(value), px=expires, nx=True)
        pipeline.mget(list(made))
        try:
            values = pipeline.execute()[-1]
        except (ConnectionError, TimeoutError) as error:
            raise ConnectionInterrupted(connection=redis) from error
        return {made[name]: client.decode(found) for name, found in zip(made, values, strict=True) if found is not None}


def add_and_get_many(key: str, value, keys: list[str], timeout=DEFAULT_TIMEOUT, *, alias: str = "default") -> dict:
    """`add(key, value, timeout)`, then `get_many(keys)` on a cache: with Redis one round trip instead of two, so
    that a read which must leave a value behind (a certificate's version) waits once."""
    backend = caches[alias]
    if isinstance(backend, RedisCache):
        return backend.add_and_get_many(key, value, keys, timeout)
    backend.add(key, value, timeout)
    return backend.get_many(keys)
