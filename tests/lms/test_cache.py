"""A Redis outage costs the cache, not the pages: sessions, sign-in and rate limits keep working from the database."""

import pytest
from django.urls import reverse

from lms.testing import PASSWORD, make_site, make_user
from tests.servers import start_redis

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


@pytest.fixture
def private_redis(settings):
    """The resilient cache on a redis-server of the test's own, which the test may stop."""
    redis = start_redis()
    settings.CACHES = {
        **settings.PROCESS_CACHES,
        "default": {
            "BACKEND": "lms.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis.port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    settings.SESSION_ENGINE = "lms.sessions.cached_db"  # as production with Redis
    yield redis
    redis.stop()


def test_signed_in_pages_keep_working_while_redis_is_down(client, private_redis, caplog):
    make_site()
    learner = make_user(username="reader")
    assert client.post(reverse("account_login"), {"login": "reader", "password": PASSWORD}).status_code == 302
    assert client.get("/dashboard/").status_code == 200

    private_redis.stop()
    response = client.get("/dashboard/")
    assert response.status_code == 200 and learner.public_name in response.content.decode()  # still signed in
    assert "cache unavailable" in caplog.text
    client.logout()
    assert client.post(reverse("account_login"), {"login": "reader", "password": PASSWORD}).status_code == 302
    assert client.get("/verify/not-a-code/").status_code == 404  # the lookup limit's counter is skipped, not fatal

    restarted = start_redis(port=private_redis.port)
    try:
        from django.core.cache import cache

        cache.set("probe", "back", 10)
        assert cache.get("probe") == "back"
        assert client.get("/dashboard/").status_code == 200
    finally:
        restarted.stop()


def test_cache_objects_share_one_redis_connection_per_process(private_redis):
    """Django builds a cache object per async context, i.e. per ASGI request and per websocket (`caches` is an
    asgiref Local): those objects must not each connect to Redis."""
    import redis
    from django.core.cache import caches

    probe = redis.Redis(port=private_redis.port)
    before = probe.info("stats")["total_connections_received"]
    for n in range(20):  # what twenty requests' contexts do
        caches.create_connection("default").set(f"visitor-{n}", n, 30)
    assert caches.create_connection("default").get("visitor-19") == 19
    assert probe.info("stats")["total_connections_received"] - before <= 2  # the pool's one, and the probe's
