"""Redis as a cache, never as a point of failure.

Sessions (`cached_db`), rate limits, Wagtail's site-root paths and the certificates' status list all go through
the default cache. Django's Redis backend raises while Redis is down, so a Redis restart used to turn every
signed-in page into a 500 (bench/soak.py). Here, while Redis cannot be reached, reads miss, writes are dropped and
a warning is logged: sessions are read from the database, and rate limits let requests through until Redis is
back (the live room's own limits do the same). `add` reports success, so that a lock built on it (allauth's
rate-limit lock) is not waited for and then refused: without this every sign-in got a 429 during the outage.
"""

import functools
import logging
import threading
from functools import cached_property

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError, TimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (ConnectionError, TimeoutError)

_clients: dict[tuple, object] = {}
_clients_lock = threading.Lock()


def _degrades_to(fallback):
    """Run the cache operation; if Redis cannot be reached, log it and return `fallback(*args)` instead."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                logger.warning("cache unavailable (%s: %s); %s skipped", type(error).__name__, error, method.__name__)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _missing_counter(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable).")


class ReusedClientsRedisCacheClient(RedisCacheClient):
    """Django's client makes a new `redis.Redis` for every operation, and redis-py's constructor fills a table of
    about 170 reply parsers each time: 38% of the CPU of a cache read (bench/README.md). A `redis.Redis` is safe to
    share between threads (each command borrows a connection from the pool), so one is kept per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients_by_pool = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients_by_pool.get(id(pool))
        if client is None:
            client = self._clients_by_pool.setdefault(id(pool), self._client(connection_pool=pool))
        return client


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose operations degrade to a miss while Redis is unreachable, with one client per
    process."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._class = ReusedClientsRedisCacheClient

    @cached_property
    def _cache(self):
        """The process's client and its connection pools. Django keeps one cache object per async context, that is
        per ASGI request and per websocket, and each would open its own Redis connection (measured in the soak: a
        Redis connect and client set-up on every websocket connect)."""
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _clients_lock:
            if key not in _clients:
                _clients[key] = self._class(self._servers, **self._options)
            return _clients[key]

    add = _degrades_to(lambda *args, **kwargs: True)(RedisCache.add)
    get = _degrades_to(lambda key, default=None, **kwargs: default)(RedisCache.get)
    set = _degrades_to(lambda *args, **kwargs: None)(RedisCache.set)
    touch = _degrades_to(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _degrades_to(lambda *args, **kwargs: False)(RedisCache.delete)
    get_many = _degrades_to(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _degrades_to(lambda *args, **kwargs: False)(RedisCache.has_key)
    incr = _degrades_to(_missing_counter)(RedisCache.incr)
    set_many = _degrades_to(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    delete_many = _degrades_to(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = _degrades_to(lambda *args, **kwargs: False)(RedisCache.clear)

    @_degrades_to(lambda *args, **kwargs: {})
    def add_and_get_many(self, key, value, keys, timeout=DEFAULT_TIMEOUT):
        """`add(key, value, timeout)`, then `get_many(keys)`, in one round trip: a pipeline (not a transaction)
        runs both on one connection, in that order."""
        made = {self.make_and_validate_key(name): name for name in keys}
        serializer = self._cache._serializer
        pipeline = self._cache.get_client(write=True).pipeline(transaction=False)
        expires = self.get_backend_timeout(timeout)
        if expires != 0:  # a value that expires at once leaves nothing to read, as with `add`
            pipeline.set(self.make_and_validate_key(key), serializer.dumps(value), ex=expires, nx=True)
        pipeline.mget(list(made))
        values = pipeline.execute()[-1]
        return {
            made[name]: serializer.loads(found) for name, found in zip(made, values, strict=True) if found is not None
        }


def add_and_get_many(key: str, value, keys: list[str], timeout=DEFAULT_TIMEOUT, *, alias: str = "default") -> dict:
    """`add(key, value, timeout)`, then `get_many(keys)` on a cache: with Redis one round trip instead of two, so
    that a read which must leave a value behind (a certificate's version) waits once."""
    backend = caches[alias]
    if isinstance(backend, ResilientRedisCache):
        return backend.add_and_get_many(key, value, keys, timeout)
    backend.add(key, value, timeout)
    return backend.get_many(keys)
