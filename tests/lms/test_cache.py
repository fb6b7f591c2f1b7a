"""A Redis outage costs the cache, not the pages: sessions, sign-in and rate limits keep working from the database."""

import pytest
from django.urls import reverse

from lms.testing import PASSWORD, make_site, make_user
from tests.servers import start_redis

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def test_signed_in_pages_keep_working_while_redis_is_down(client, private_redis, caplog):
    make_site()
    learner = make_user(username="reader")
    assert client.post(reverse("account_login"), {"login": "reader", "password": PASSWORD}).status_code == 302
    assert client.get("/dashboard/").status_code == 200

    private_redis.stop()
    response = client.get("/dashboard/")
    assert response.status_code == 200 and learner.public_name in response.content.decode()  # still signed in
    assert "Exception ignored" in caplog.text  # django-redis's IGNORE_EXCEPTIONS, logged
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


def test_while_redis_is_down_add_succeeds_and_counters_are_missing(private_redis):
    """A lock taken with `add` (allauth's rate-limit lock) is granted rather than waited for and refused, and a
    counter reads as missing (ValueError, as Django's `incr` of an absent key): the rate limiters let requests
    through."""
    from django.core.cache import cache

    assert cache.add("lock", True, 10) is True and cache.add("lock", True, 10) is False
    cache.set("count", 1, 30)
    assert cache.incr("count") == 2

    private_redis.stop()
    assert cache.add("lock", True, 10) is True
    assert cache.get("count") is None and cache.get_many(["count"]) == {}
    with pytest.raises(ValueError):
        cache.incr("count")
    cache.set("count", 5, 30)  # dropped, not an error
    assert not cache.delete("count")


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


def _round_trips(monkeypatch) -> list:
    """Each write of a command (or of a pipeline) to Redis, recorded as it goes."""
    import redis.connection

    sent = []
    original = redis.connection.Connection.send_packed_command

    def send_packed_command(connection, command, *args, **kwargs):
        sent.append(command)
        return original(connection, command, *args, **kwargs)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", send_packed_command)
    return sent


def test_add_and_get_many_adds_once_and_reads_in_one_round_trip(private_redis, monkeypatch):
    import redis
    from django.core.cache import cache

    from lms.caching.backends import add_and_get_many

    cache.set("count", 3, 30)
    sent = _round_trips(monkeypatch)
    assert add_and_get_many("version", "first", ["count", "version", "absent"], 300) == {"count": 3, "version": "first"}
    assert len(sent) == 1
    assert add_and_get_many("version", "second", ["version"], 300) == {"version": "first"}  # added only once
    assert 290 < redis.Redis(port=private_redis.port).ttl(cache.make_key("version")) <= 300

    private_redis.stop()
    assert add_and_get_many("version", "third", ["version"], 300) == {}  # a miss while Redis is down, not an error


def test_verification_with_redis_makes_one_round_trip_per_check(
    client, private_redis, monkeypatch, django_capture_on_commit_callbacks
):
    """A first check takes the certificate's version and reads the client's failure count in one round trip, as a
    repeated one does; a revocation retires the page at once."""
    from certificates import services
    from tests.certificates.conftest import GIVEN, make_level

    certifier = make_user(role="Certifiers")
    certificate = services.certificate_issue(
        actor=certifier,
        user=make_user(display_name="Aigerim"),
        level=make_level(name="Street Lawyer"),
        outside_rules_reason=GIVEN,
    )
    url = f"/verify/{certificate.verification_code}/"
    client.get(f"/verify/{certificate.verification_code[::-1]}/")  # a miss; keeps the layout for the others
    sent = _round_trips(monkeypatch)
    first = client.get(url)
    assert first.status_code == 200 and "Aigerim" in first.content.decode() and len(sent) == 1
    assert client.get(url).content == first.content and len(sent) == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud", public=True)
    assert "Revoked" in client.get(url).content.decode()


def test_the_live_rooms_limits_let_people_act_while_redis_is_down(private_redis):
    from tests.webinars.factories import make_webinar
    from webinars import services
    from webinars.models import Question

    webinar, learner = make_webinar(), make_user()
    private_redis.stop()
    for n in range(services.QUESTIONS_PER_MINUTE + 1):
        services.question_ask(user=learner, webinar=webinar, text=f"Question {n}")
    assert Question.objects.filter(author=learner).count() == services.QUESTIONS_PER_MINUTE + 1
