"""Project-wide pytest setup: service markers (postgres, redis, browser) and REQUIRE_SERVICES.

A test marked for a service that is not available is skipped with a reason; with REQUIRE_SERVICES=1
(CI) it fails instead, so that a missing service can never turn a red run green.
"""

import os
import shutil

import pytest

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(marker_name: str) -> str | None:
    if marker_name == "postgres":
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    elif marker_name == "redis":
        if not os.environ.get("REDIS_URL"):
            return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
    elif marker_name == "browser":
        if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
            return "needs Debian's Chromium: apt-get install chromium"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "needs the playwright Python package (requirements/dev.txt)"
    return None


def pytest_runtest_setup(item):
    for name in ("postgres", "redis", "browser"):
        if item.get_closest_marker(name) is None:
            continue
        reason = _missing_service(name)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and kept look-ups live in the caches; each test starts with empty ones and a new
    generation (lms/caching), as a fresh deployment would."""
    from django.core.cache import caches

    from lms.caching import new_generation

    def empty():
        for cache in caches.all():
            cache.clear()
        new_generation()

    empty()
    yield
    empty()


@pytest.fixture(autouse=True)
def _default_language():
    """The test client runs requests in this thread, so a /ru/ request leaves Russian active; reset it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def private_redis(settings):
    """Production's Redis cache on a redis-server of the test's own, which the test may stop (mark the test
    `redis`)."""
    from tests.servers import start_redis

    redis = start_redis()
    settings.CACHES = {
        **settings.PROCESS_CACHES,
        "default": {
            "BACKEND": "lms.caching.backends.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as production with Redis
    yield redis
    redis.stop()
