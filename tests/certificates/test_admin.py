"""The certifiers' queue in the Wagtail admin: issue, reject, bulk issue, outside the rules, revoke, search, log."""

import pytest

from certificates import services
from certificates.models import AuditEntry, Certificate, Level, QueueEntry
from lms.testing import make_user

from .conftest import GIVEN, LEVEL_HELD, make_level, make_reachable_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(site, learner):
    level = make_reachable_level(site, [learner], name="Community Advocate")
    services.progression_refresh(user_ids=[learner.pk])
    return QueueEntry.objects.get(user=learner, level=level)


def test_a_learner_cannot_open_the_queue_or_issue(client, learner, queued):
    client.force_login(learner)
    response = client.get("/admin/certification/")
    assert response.status_code in (302, 403)
    client.post(f"/admin/certification/{queued.pk}/issue/")
    assert not Certificate.objects.exists()


def test_a_trainer_with_admin_access_is_refused(client, queued):
    client.force_login(make_user(role="Trainers"))
    response = client.get("/admin/certification/", follow=True)
    assert "Aigerim" not in response.content.decode()
    assert "do not have permission" in response.content.decode()
    client.post(f"/admin/certification/{queued.pk}/issue/")
    assert not Certificate.objects.exists()


def test_the_queue_shows_evidence_and_issues(client, certifier, queued):
    client.force_login(certifier)
    html = client.get("/admin/certification/").content.decode()
    assert "Aigerim" in html and "Community Advocate" in html
    response = client.post(f"/admin/certification/{queued.pk}/issue/", follow=True)
    assert response.status_code == 200
    certificate = Certificate.objects.get()
    assert certificate.issued_by == certifier and not QueueEntry.objects.exists()
    assert certificate.serial in client.get("/admin/certification/audit/").content.decode()


def test_reject_without_a_reason_changes_nothing(client, certifier, queued):
    client.force_login(certifier)
    client.post(f"/admin/certification/{queued.pk}/reject/", {"reason": ""})
    queued.refresh_from_db()
    assert queued.status == "pending" and not AuditEntry.objects.exists()
    client.post(f"/admin/certification/{queued.pk}/reject/", {"reason": "Attendance was someone else"})
    queued.refresh_from_db()
    assert queued.status == "rejected"
    assert "Nobody is waiting" in client.get("/admin/certification/").content.decode()


def test_bulk_issue(client, certifier, site):
    people = [make_user() for _ in range(3)]
    make_reachable_level(site, people)
    services.progression_refresh(user_ids=[p.pk for p in people])
    client.force_login(certifier)
    ids = list(QueueEntry.objects.values_list("pk", flat=True))
    assert client.post("/admin/certification/bulk-issue/", {"entries": []}).status_code == 302
    assert not Certificate.objects.exists()
    client.post("/admin/certification/bulk-issue/", {"entries": ids[:2]})
    assert Certificate.objects.count() == 2 and QueueEntry.objects.count() == 1


def test_issue_outside_the_rules_needs_a_reason(client, certifier, learner):
    first = make_level()
    second = make_level(name="Co-trainer", requirements=[{"kind": LEVEL_HELD, "required_level": first}])
    client.force_login(certifier)
    response = client.post(
        "/admin/certification/issue/", {"username": learner.username, "level": second.pk, "outside_rules_reason": ""}
    )
    assert response.status_code == 400 and not Certificate.objects.exists()
    response = client.post(
        "/admin/certification/issue/", {"username": "nobody-here", "level": second.pk, "outside_rules_reason": "x"}
    )
    assert response.status_code == 400 and not Certificate.objects.exists()
    client.post(
        "/admin/certification/issue/",
        {"username": learner.username, "level": second.pk, "outside_rules_reason": "Trained in Kyiv, 2025"},
    )
    certificate = Certificate.objects.get()
    assert certificate.outside_rules_reason == "Trained in Kyiv, 2025"


def test_search_revoke_and_revoke_again(client, certifier, learner):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )
    client.force_login(certifier)
    html = client.get("/admin/certification/certificates/", {"q": "Aigerim"}).content.decode()
    assert certificate.serial in html
    assert certificate.serial not in client.get("/admin/certification/certificates/", {"q": "zzz"}).content.decode()
    client.post(f"/admin/certification/certificates/{certificate.pk}/revoke/", {"reason": ""})
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    client.post(f"/admin/certification/certificates/{certificate.pk}/revoke/", {"reason": "Fraud", "public": "on"})
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason_public
    response = client.post(
        f"/admin/certification/certificates/{certificate.pk}/revoke/", {"reason": "Again"}, follow=True
    )
    assert "already revoked" in response.content.decode()
    assert AuditEntry.objects.filter(action="revoke").count() == 1


def test_admin_pages_render(client, certifier, learner):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    client.force_login(certifier)
    for url in (
        "/admin/certification/",
        "/admin/certification/issue/",
        "/admin/certification/certificates/",
        f"/admin/certification/certificates/{certificate.pk}/",
        "/admin/certification/audit/",
        "/admin/snippets/certificates/level/",
        "/admin/snippets/certificates/level/add/",
        f"/admin/snippets/certificates/level/edit/{certificate.level.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_search_with_odd_characters_is_harmless(client, certifier):
    client.force_login(certifier)
    for url in ("/admin/certification/", "/admin/certification/certificates/", "/admin/certification/audit/"):
        assert client.get(url, {"q": "a\x00b' OR 1=1 --"}).status_code == 200


def level_form(level, **changes) -> dict:
    """The level's edit form as the admin posts it, with its (empty) inline formsets."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    fields = {
        "name": level.name,
        "slug": level.slug,
        "description": level.description,
        "certificate_text": level.certificate_text,
        "sort_order": level.sort_order,
        "requires_approval": "on" if level.requires_approval else "",
        "requirements": inline_formset([]),
    }
    return nested_form_data({**fields, **changes})


def test_a_certifier_kept_off_a_level_cannot_edit_or_delete_it(client, certifier):
    from django.contrib.auth.models import Group

    senior = Group.objects.create(name="Senior certifiers")
    level = make_level(name="Certified Trainer", certifier_group=senior)
    client.force_login(certifier)
    edit, delete = (f"/admin/snippets/certificates/level/{action}/{level.pk}/" for action in ("edit", "delete"))
    for response in (client.get(edit), client.post(edit, level_form(level, name="Open to all")), client.post(delete)):
        assert response.status_code == 302 and response.url.startswith("/admin/")
    level.refresh_from_db()
    assert level.name == "Certified Trainer" and level.certifier_group == senior
    listing = client.get("/admin/snippets/certificates/level/").content.decode()
    assert "Certified Trainer" in listing and edit not in listing and delete not in listing  # listed, no links
    open_level = make_level(name="Community Advocate")
    listing = client.get("/admin/snippets/certificates/level/").content.decode()
    assert f"/edit/{open_level.pk}/" in listing and f"/delete/{open_level.pk}/" in listing
    # Wagtail's copy view would save through the reserved level's form: there is none.
    assert client.post(f"/admin/snippets/certificates/level/copy/{level.pk}/", {"name": "Open"}).status_code == 404
    assert Level.objects.count() == 2


def test_only_a_superuser_chooses_the_group_a_level_grants_or_reserves(client, certifier):
    from django.contrib.auth.models import Group

    certifiers = Group.objects.get(name="Certifiers")
    level = make_level(name="Co-trainer")
    edit = f"/admin/snippets/certificates/level/edit/{level.pk}/"
    client.force_login(certifier)
    assert "granted_group" not in client.get(edit).content.decode()
    response = client.post(edit, level_form(level, name="Co-trainer (2026)", granted_group=certifiers.pk))
    assert response.status_code == 302
    level.refresh_from_db()
    assert level.name == "Co-trainer (2026)" and level.granted_group is None  # the name changed, the group did not
    client.force_login(make_user(role="admin"))
    assert "granted_group" in client.get(edit).content.decode()
    client.post(edit, level_form(level, granted_group=certifiers.pk))
    level.refresh_from_db()
    assert level.granted_group == certifiers


def test_the_queue_lists_only_the_levels_this_certifier_may_issue(client, certifier, learner, site):
    from django.contrib.auth.models import Group

    senior = Group.objects.create(name="Senior certifiers")
    make_reachable_level(site, [learner], name="Community Advocate")
    reserved = make_reachable_level(site, [learner], name="Certified Trainer", certifier_group=senior)
    services.progression_refresh(user_ids=[learner.pk])
    reserved_entry = QueueEntry.objects.get(level=reserved)
    client.force_login(certifier)
    html = client.get("/admin/certification/").content.decode()
    assert "Community Advocate" in html and "Certified Trainer" not in html
    # The bulk form offers only this certifier's entries: a reserved one is refused before the service is asked.
    bulk = client.post("/admin/certification/bulk-issue/", {"entries": [reserved_entry.pk]}, follow=True)
    assert f"{reserved_entry.pk} is not one of the available choices" in bulk.content.decode()
    single = client.post(f"/admin/certification/{reserved_entry.pk}/issue/", follow=True)
    assert "You may not issue or revoke certificates of this level." in single.content.decode()
    assert not Certificate.objects.filter(level=reserved).exists()
    assert not AuditEntry.objects.exists()
    # Nor is it offered for issue outside the rules.
    form = client.get("/admin/certification/issue/").content.decode()
    assert "Community Advocate" in form and "Certified Trainer" not in form
    refused = client.post(
        "/admin/certification/issue/",
        {"username": learner.username, "level": reserved.pk, "outside_rules_reason": "Trusted trainer"},
    )
    assert refused.status_code == 400 and "not one of the available choices" in refused.content.decode()
    assert not Certificate.objects.filter(level=reserved).exists()
    certifier.groups.add(senior)
    assert "Certified Trainer" in client.get("/admin/certification/").content.decode()
    assert "Certified Trainer" in client.get("/admin/certification/issue/").content.decode()


def test_a_deleted_certifiers_decisions_are_not_shown_as_automatic(client, certifier, learner, site):
    from lms.services import user_delete
    from lms.testing import PASSWORD

    by_hand = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )
    automatic = make_reachable_level(site, [learner], name="Community Advocate", requires_approval=False)
    services.progression_refresh(user_ids=[learner.pk])
    user_delete(user=certifier, password=PASSWORD)
    client.force_login(make_user(role="Certifiers"))
    rows = client.get("/admin/certification/audit/").content.decode().split("<tr>")
    assert any(by_hand.serial in row and "(deleted account)" in row and "automatic" not in row for row in rows)
    auto_serial = Certificate.objects.get(level=automatic).serial
    assert any(auto_serial in row and "automatic" in row for row in rows)
    page = client.get(f"/admin/certification/certificates/{by_hand.pk}/").content.decode()
    assert "automatically" not in page and "(deleted account)" in page


def test_a_revoked_certificate_offers_no_reissue(client, certifier, learner):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    client.force_login(certifier)
    reissue = f"/admin/certification/certificates/{certificate.pk}/reissue/"
    assert reissue in client.get(f"/admin/certification/certificates/{certificate.pk}/").content.decode()
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Obtained by fraud")
    assert reissue not in client.get(f"/admin/certification/certificates/{certificate.pk}/").content.decode()
    response = client.post(reissue, {"reason": "Bring it back"}, follow=True)
    assert "cannot be reissued" in response.content.decode()
    assert Certificate.objects.count() == 1


def test_the_queue_shows_the_evidence_in_the_certifiers_language(client, certifier, learner, site):
    from wagtail.users.models import UserProfile

    from .conftest import COURSE, complete_course, make_course

    english = make_course(site, title="Budget advocacy")
    make_course(site, title="Бюджетная адвокация", language="ru", translation_of=english)
    complete_course(learner, english)
    make_level(name="Community Advocate", requirements=[{"kind": COURSE, "course_page": english}])
    services.progression_refresh(user_ids=[learner.pk])
    profile = UserProfile.get_for_user(certifier)
    profile.preferred_language = "ru"
    profile.save()
    client.force_login(certifier)
    html = client.get("/admin/certification/").content.decode()
    assert "Пройти курс «Бюджетная адвокация»" in html and "Complete the course" not in html


def test_a_new_level_cannot_copy_another_levels_name_or_print_control_characters(client, certifier):
    """A look-alike "certified trainer" would print the same as the real one; a control character would print
    differently from what the form showed."""
    make_level(name="Certified Trainer")
    client.force_login(certifier)
    add = "/admin/snippets/certificates/level/add/"
    draft = Level(name="certified trainer ", slug="look-alike", sort_order=9, requires_approval=False)
    response = client.post(add, level_form(draft))
    assert response.status_code == 200 and "Another level already has this name." in response.content.decode()
    draft.name = "Peer\x08Navigator"
    response = client.post(add, level_form(draft))
    assert "Remove the control characters from this text." in response.content.decode()
    assert list(Level.objects.values_list("name", flat=True)) == ["Certified Trainer"]
    draft.name = "Peer Navigator"
    assert client.post(add, level_form(draft)).status_code == 302
    assert Level.objects.filter(name="Peer Navigator", slug="look-alike").exists()
