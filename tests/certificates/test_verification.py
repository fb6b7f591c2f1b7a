"""The public verification page: valid, revoked, deleted holder, not found (constant shape), rate limit."""

import re
import secrets

import pytest
from django.core.cache import cache, caches
from django.test import Client
from django.utils import timezone

from certificates import pagecache, selectors, services
from certificates.models import Certificate, Level
from lms.caching.pages import cache_page
from lms.services import user_delete
from lms.testing import PASSWORD, make_user

from .conftest import GIVEN, make_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(certifier, learner):
    return services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )


def body(response) -> str:
    """The page without the per-render CSRF token, which is masked differently on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_valid_certificate_shows_the_minimum(client, certificate, learner):
    learner.email = "aigerim@example.org"
    learner.save()
    response = client.get(f"/verify/{certificate.verification_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in html and "Aigerim" in html and "Street Lawyer" in html and certificate.serial in html
    assert learner.username not in html and "aigerim@example.org" not in html
    assert '<meta name="robots" content="noindex' in html
    assert "noindex" in response["X-Robots-Tag"]


def test_russian_verification_page(client, certificate):
    response = client.get(f"/ru/verify/{certificate.verification_code}/")
    assert response.status_code == 200
    assert "Действителен" in response.content.decode()


def test_revoked_shows_date_and_only_a_public_reason(client, certificate, certifier):
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Internal note", public=False)
    html = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "Revoked" in html and "was revoked on" in html and "Internal note" not in html


def test_revoked_with_a_public_reason(client, certificate, certifier):
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud", public=True)
    assert "Obtained by fraud" in client.get(f"/verify/{certificate.verification_code}/").content.decode()


@pytest.mark.parametrize(
    "code",
    [
        "x",
        "0" * 43,
        "a" * 500,
        "%00%27%22",
        "..%2F..%2Fetc",
        "Ж" * 10,
        "' OR 1=1 --",
        "Qm9ndXNjb2RlLW5vdC1pc3N1ZWQtdG8tYW55b25lMDE",
    ],
)
def test_unknown_codes_all_get_the_same_404(client, certificate, code):
    reference = client.get(f"/verify/{secrets.token_urlsafe(32)}/")
    response = client.get(f"/verify/{code}/")
    assert response.status_code == reference.status_code == 404
    assert body(response) == body(reference)
    assert "noindex" in response["X-Robots-Tag"]


def test_a_truncated_code_is_not_found(client, certificate):
    response = client.get(f"/verify/{certificate.verification_code[:-1]}/")
    assert response.status_code == 404
    assert certificate.serial not in response.content.decode()


def test_serial_and_code_form(client, certificate):
    ok = client.get("/verify/", {"serial": certificate.serial, "code": certificate.verification_code})
    assert ok.status_code == 200 and "Valid" in ok.content.decode()
    wrong_serial = client.get("/verify/", {"serial": "2020-000001", "code": certificate.verification_code})
    assert wrong_serial.status_code == 404
    empty = client.get("/verify/", {"serial": "", "code": ""})
    assert empty.status_code == 400
    assert client.get("/verify/").status_code == 200


def test_failed_lookups_are_rate_limited(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_FAILURE_LIMIT = 5
    for _ in range(5):
        assert client.get(f"/verify/{secrets.token_urlsafe(32)}/").status_code == 404
    # Over the limit, even a valid code is refused: the refusal tells nothing.
    limited = client.get(f"/verify/{certificate.verification_code}/")
    assert limited.status_code == 429 and "Retry-After" in limited
    assert certificate.serial not in limited.content.decode()
    guessed = secrets.token_urlsafe(32)
    assert client.get(f"/verify/{guessed}/").status_code == 429
    assert cache.get(pagecache.version_key(guessed)) is None  # a refused guess leaves nothing in the cache
    other_client = client.__class__(REMOTE_ADDR="10.0.0.2")
    assert other_client.get(f"/verify/{certificate.verification_code}/").status_code == 200


def test_a_deleted_account_stays_verifiable_without_the_name(client, certificate, learner):
    user_delete(user=learner, password=PASSWORD)
    response = client.get(f"/verify/{certificate.verification_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "a deleted account" in html and "Aigerim" not in html and "Valid" in html
    certificate.refresh_from_db()
    assert certificate.holder is None and certificate.holder_name == ""


def test_a_withdrawn_certificate_of_a_deleted_account_reads_revoked(client, certificate, learner):
    services.certificate_withdraw(user=learner, certificate=certificate)
    user_delete(user=learner, password=PASSWORD)
    html = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "Revoked" in html and "Aigerim" not in html


def test_linkedin_link_only_for_the_holder(client, certificate, learner):
    assert "linkedin.com" not in client.get(f"/verify/{certificate.verification_code}/").content.decode()
    client.force_login(learner)
    html = client.get(f"/verify/{certificate.verification_code}/").content.decode()
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in html
    assert "certId=" + certificate.serial in html
    other = make_user()
    client.force_login(other)
    assert "linkedin.com" not in client.get(f"/verify/{certificate.verification_code}/").content.decode()


# --- The cached page for anonymous visitors -----------------------------------------------------------------------


def test_anonymous_visitors_get_the_page_from_the_cache_without_a_query(client, certificate, django_assert_num_queries):
    url = f"/verify/{certificate.verification_code}/"
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert "Valid" in again.content.decode() and "csrfmiddlewaretoken" not in again.content.decode()
    assert again["X-Robots-Tag"] == first["X-Robots-Tag"] and again["Cache-Control"] == first["Cache-Control"]
    assert "no-store" in again["Cache-Control"]


def test_a_revocation_shows_as_soon_as_it_commits_to_visitors_who_saw_it_valid(
    client, certificate, certifier, django_capture_on_commit_callbacks
):
    url = f"/verify/{certificate.verification_code}/"
    assert "Valid" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud", public=True)
    html = client.get(url).content.decode()
    assert "Revoked" in html and "Obtained by fraud" in html


def test_a_deleted_holders_name_leaves_the_cached_page_as_soon_as_it_commits(
    client, certificate, learner, django_capture_on_commit_callbacks
):
    url = f"/verify/{certificate.verification_code}/"
    assert "Aigerim" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=learner, password=PASSWORD)
    html = client.get(url).content.decode()
    assert "a deleted account" in html and "Aigerim" not in html


def test_a_page_rendered_while_a_revocation_commits_is_never_served(
    client, certificate, certifier, django_capture_on_commit_callbacks
):
    """A check that read the certificate just before the revocation committed stores its (valid) page late:
    under the version it took before reading, which the revocation has retired."""
    code, variant = certificate.verification_code, ("en", "UTC")
    version, _, _ = pagecache.take_version(code)  # the slow check starts and reads the still valid certificate
    valid_page = Client().get(f"/verify/{code}/").content
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud", public=True)
    key = pagecache.certificate_page_key(code, version, variant)
    cache_page(key, valid_page.decode(), pagecache.PAGE_SECONDS)  # ... and stores it after the commit
    html = client.get(f"/verify/{code}/").content.decode()
    assert "Revoked" in html and "Valid" not in html


def test_a_worker_without_the_page_renders_it_under_the_version_every_worker_shares(
    client, certificate, certifier, django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Pages are kept in each process, the version in the shared cache: another worker (here, this process with
    its pages gone) renders the page once, under the same version, and a revocation retires both copies."""
    url, key = f"/verify/{certificate.verification_code}/", pagecache.version_key(certificate.verification_code)
    first = client.get(url).content
    version = cache.get(key)
    with django_assert_num_queries(0):
        assert client.get(url).content == first
    caches["pages"].clear()  # another worker
    with django_assert_num_queries(1):
        assert client.get(url).content == first
    assert cache.get(key) == version
    with django_capture_on_commit_callbacks(execute=True):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud", public=True)
    html = client.get(url).content.decode()
    assert "Revoked" in html and cache.get(key) != version


def test_checks_of_codes_that_do_not_exist_leave_nothing_in_the_cache(client, certificate):
    """Only existing certificates get a version, so scanning random codes cannot fill the cache."""
    codes = [secrets.token_urlsafe(32) for _ in range(5)]
    assert all(client.get(f"/verify/{code}/").status_code == 404 for code in codes)
    assert cache.get_many([pagecache.version_key(code) for code in codes]) == {}
    client.get(f"/verify/{certificate.verification_code}/")
    assert cache.get(pagecache.version_key(certificate.verification_code)) is not None


def test_a_first_check_of_another_certificate_costs_one_query(
    client, certificate, certifier, django_assert_num_queries
):
    """The layout is kept from any earlier check, so a certificate never checked before is one query away."""
    other = services.certificate_issue(
        actor=certifier,
        user=make_user(display_name="Bakyt"),
        level=make_level(name="Co-trainer"),
        outside_rules_reason=GIVEN,
    )
    first = client.get(f"/verify/{certificate.verification_code}/")
    with django_assert_num_queries(1):
        response = client.get(f"/verify/{other.verification_code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bakyt" in html and "Co-trainer" in html and other.serial in html
    assert "Aigerim" not in html and certificate.serial not in html and certificate.verification_code not in html
    assert f'href="/ru/verify/{other.verification_code}/"' in html  # the language links follow the certificate
    assert "csrfmiddlewaretoken" not in html
    assert response["X-Robots-Tag"] == first["X-Robots-Tag"] and "no-store" in response["Cache-Control"]


def test_the_kept_layout_gives_the_page_a_full_render_gives(client, certificate, rf):
    """The layout with this certificate's facts and code is byte for byte the page rendered for the request."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    url = f"/verify/{certificate.verification_code}/"
    client.get(f"/verify/{secrets.token_urlsafe(32)}/")  # a miss keeps nothing
    client.get(url)  # keeps the layout
    served = client.get(url).content.decode()
    request = rf.get(url)
    request.user = AnonymousUser()
    context = pagecache.facts_context(certificate, level_name="Street Lawyer", linkedin_url="")
    facts = render_to_string("certificates/_verify_result.html", context)
    assert served == render_to_string("certificates/verify.html", {"result": facts}, request)


def test_a_level_added_where_this_process_did_not_see_it_still_shows(client, certificate, certifier):
    """Level names are kept per process; a level created elsewhere (no signal here) is read when first needed."""
    client.get(f"/verify/{certificate.verification_code}/")  # keeps the level names
    (level,) = Level.objects.bulk_create(
        [Level(name="Peer Navigator", slug="peer-navigator", sort_order=90, requires_approval=True)]
    )
    other = services.certificate_issue(
        actor=certifier, user=make_user(display_name="Bakyt"), level=level, outside_rules_reason=GIVEN
    )
    response = client.get(f"/verify/{other.verification_code}/")
    assert response.status_code == 200 and "Peer Navigator" in response.content.decode()


def test_the_holder_signed_in_and_a_pending_message_never_get_the_shared_copy(client, certificate, learner):
    url = f"/verify/{certificate.verification_code}/"
    assert "linkedin.com" not in client.get(url).content.decode()  # cached for everyone
    client.force_login(learner)
    assert "linkedin.com" in client.get(url).content.decode()

    signed_out = client.post("/accounts/logout/")  # "You have signed out." waits in a cookie for the next page
    browser = Client()
    browser.cookies["messages"] = signed_out.cookies["messages"].value  # and no session cookie any more
    assert "You have signed out" in browser.get(url).content.decode()
    assert "You have signed out" not in Client().get(url).content.decode()  # and for no one else


def test_the_written_out_lookup_finds_what_the_orm_finds_but_the_evidence(certificate):
    found = selectors.certificate_by_code(certificate.verification_code)
    expected = Certificate.objects.get(pk=certificate.pk)
    for field in Certificate._meta.concrete_fields:
        if field.attname != "evidence":
            assert getattr(found, field.attname) == getattr(expected, field.attname), field.attname
    assert timezone.is_aware(found.issued_at)  # shown in the visitor's time zone, not as UTC
    assert "evidence" in found.get_deferred_fields()
    other = "B" if certificate.verification_code.endswith("A") else "A"
    assert selectors.certificate_by_code(certificate.verification_code[:-1] + other) is None


@pytest.mark.parametrize(
    "holder_name", ['Dana <script>alert(1)</script> & "Co"', "lms-mark-certificates-fact-serial", ""]
)
def test_the_kept_facts_are_what_the_template_renders_for_any_certificate(certificate, certifier, holder_name):
    """Valid or revoked, with or without a public reason, a holder or a link: the kept skeleton with the texts put
    in is the template rendered with them, escaping included; a name that looks like a mark stays a name."""
    from django.template.loader import render_to_string

    certificate.holder_name = holder_name
    certificate.save(update_fields=["holder_name"])

    def assert_same(shown, link):
        context = pagecache.facts_context(shown, level_name="Street <Lawyer>", linkedin_url=link)
        for _ in range(2):  # rendered, then from the kept skeleton
            assert pagecache.facts(context) == render_to_string("certificates/_verify_result.html", context)

    assert_same(certificate, "https://www.linkedin.com/profile/add?name=A&b=<c>")
    assert_same(certificate, "")
    revoked = services.certificate_revoke(actor=certifier, certificate=certificate, reason="By <mistake>", public=True)
    assert_same(revoked, "")
    if holder_name.startswith("Dana"):
        assert "Dana &lt;script&gt;" in pagecache.facts(
            pagecache.facts_context(revoked, level_name="", linkedin_url="")
        )
