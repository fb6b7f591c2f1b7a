"""Issuing, rejecting, revoking and reissuing: rules, permissions, serials and the audit log."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from certificates import selectors, services
from certificates.models import AuditEntry, Certificate, QueueEntry
from lms import roles
from lms.testing import make_user

from .conftest import GIVEN, LEVEL_HELD, make_level, make_reachable_level

pytestmark = pytest.mark.django_db


def test_issue_gives_a_serial_a_long_code_and_an_audit_row(certifier, learner, site):
    other = make_user()
    level = make_reachable_level(site, [learner, other])
    certificate = services.certificate_issue(actor=certifier, user=learner, level=level)
    year = timezone.now().year
    assert certificate.serial == f"{year}-000001"
    assert len(certificate.verification_code) >= 43  # 32 random bytes, base64url
    assert certificate.holder_name == "Aigerim"
    second = services.certificate_issue(actor=certifier, user=other, level=level)
    assert second.serial == f"{year}-000002"
    entry = AuditEntry.objects.get(certificate=certificate)
    assert (entry.action, entry.actor, entry.subject) == ("issue", certifier, learner)


def test_a_holder_cannot_get_the_same_level_twice(certifier, learner):
    level = make_level()
    services.certificate_issue(actor=certifier, user=learner, level=level, outside_rules_reason=GIVEN)
    with pytest.raises(ValidationError):
        services.certificate_issue(actor=certifier, user=learner, level=level)
    assert Certificate.objects.count() == 1


def test_an_ineligible_person_needs_a_written_reason(certifier, learner):
    first = make_level()
    second = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": first}])
    with pytest.raises(ValidationError) as error:
        services.certificate_issue(actor=certifier, user=learner, level=second, outside_rules_reason="   ")
    assert "outside_rules_reason" in error.value.message_dict
    assert not Certificate.objects.exists() and not AuditEntry.objects.exists()

    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=second, outside_rules_reason="Trained by the partner network in 2025."
    )
    assert certificate.outside_rules_reason == "Trained by the partner network in 2025."
    entry = AuditEntry.objects.get(certificate=certificate)
    assert entry.action == "issue_outside_rules" and "partner network" in entry.reason


def test_learners_and_trainers_cannot_issue(learner):
    level = make_level()
    for actor in (learner, make_user(role=roles.TRAINERS)):
        with pytest.raises(PermissionDenied):
            services.certificate_issue(actor=actor, user=learner, level=level)
    assert not Certificate.objects.exists()


def test_a_level_reserved_to_a_group_refuses_other_certifiers(certifier, learner):
    senior = Group.objects.create(name="Senior certifiers")
    level = make_level(certifier_group=senior)
    with pytest.raises(PermissionDenied):
        services.certificate_issue(actor=certifier, user=learner, level=level)
    certificate = services.certificate_issue(
        actor=make_user(role="admin"), user=learner, level=level, outside_rules_reason=GIVEN
    )
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="no")
    certificate.refresh_from_db()
    assert not certificate.is_revoked
    certifier.groups.add(senior)
    certifier._lms_group_names = None
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Issued by mistake")


def test_revoke_needs_a_reason_and_cannot_happen_twice(certifier, learner):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="")
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Fraud", public=True)
    certificate.refresh_from_db()
    revoked_at = certificate.revoked_at
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Again")
    certificate.refresh_from_db()
    assert certificate.revoked_at == revoked_at and certificate.revocation_reason == "Fraud"
    assert AuditEntry.objects.filter(action="revoke").count() == 1


def test_reissue_revokes_the_old_one_and_prints_the_new_name(certifier, learner):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    services.name_preference_update(user=learner, source="legal", legal_name="Айгерим Нурланова")
    new = services.certificate_reissue(actor=certifier, certificate=certificate, reason="Legal name requested")
    certificate.refresh_from_db()
    assert certificate.is_revoked
    assert new.holder_name == "Айгерим Нурланова" and new.replaces == certificate
    assert new.serial != certificate.serial and new.verification_code != certificate.verification_code
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "issue_outside_rules",
        "revoke",
        "reissue",
    ]


def test_a_revoked_or_withdrawn_certificate_cannot_be_reissued(certifier, learner):
    revoked = services.certificate_issue(actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN)
    services.certificate_revoke(actor=certifier, certificate=revoked, reason="Obtained by fraud")
    withdrawn = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    services.certificate_withdraw(user=learner, certificate=withdrawn)
    for certificate in (revoked, withdrawn):
        with pytest.raises(ValidationError, match="cannot be reissued"):
            services.certificate_reissue(actor=certifier, certificate=certificate, reason="Bring it back")
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 0
    assert not AuditEntry.objects.filter(action="reissue").exists()


def test_name_preference_needs_the_name_it_chooses(learner):
    with pytest.raises(ValidationError):
        services.name_preference_update(user=learner, source="pseudonym", pseudonym=" ")
    assert selectors.printed_name_for(learner) == "Aigerim"
    services.name_preference_update(user=learner, source="pseudonym", pseudonym="Street Cat")
    assert selectors.printed_name_for(learner) == "Street Cat"


def test_certified_trainer_grants_the_trainers_role(certifier, learner):
    level = make_level(granted_group=Group.objects.get(name=roles.TRAINERS))
    services.certificate_issue(actor=certifier, user=learner, level=level, outside_rules_reason=GIVEN)
    learner.refresh_from_db()
    assert roles.is_trainer(learner) and learner.is_staff


def test_revoking_the_last_certificate_that_granted_a_role_takes_the_role_back(certifier, learner):
    def reloaded(user):  # a new instance: roles caches group names on the old one
        return type(user).objects.get(pk=user.pk)

    level = make_level(granted_group=Group.objects.get(name=roles.TRAINERS))
    first = services.certificate_issue(actor=certifier, user=learner, level=level, outside_rules_reason=GIVEN)
    second = services.certificate_reissue(actor=certifier, certificate=first, reason="Corrected the printed name.")
    assert roles.is_trainer(reloaded(learner)) and reloaded(learner).is_staff  # the new certificate still grants it
    services.certificate_revoke(actor=certifier, certificate=second, reason="Issued in error.")
    assert not roles.is_trainer(reloaded(learner)) and not reloaded(learner).is_staff
    # A certifier who loses a trainer certificate keeps the admin access their own role needs.
    roles.grant_role(certifier, roles.TRAINERS)
    other_certifier = make_user(role=roles.CERTIFIERS)
    held = services.certificate_issue(actor=other_certifier, user=certifier, level=level, outside_rules_reason=GIVEN)
    services.certificate_revoke(actor=other_certifier, certificate=held, reason="Issued in error.")
    certifier = reloaded(certifier)
    assert not roles.is_trainer(certifier) and roles.is_certifier(certifier) and certifier.is_staff


def test_refresh_queues_approval_levels_and_auto_issues_the_others(
    certifier, learner, site, django_capture_on_commit_callbacks
):
    automatic = make_reachable_level(site, [learner], requires_approval=False)
    manual = make_level(requirements=[{"kind": LEVEL_HELD, "required_level": automatic}])
    with django_capture_on_commit_callbacks(execute=True):
        services.progression_refresh(user_ids=[learner.pk])
    certificate = Certificate.objects.get(holder=learner)
    assert certificate.level == automatic and certificate.issued_by is None
    assert AuditEntry.objects.get(certificate=certificate).action == "auto_issue"
    # The new certificate opened the next level, which waits for a certifier.
    entry = QueueEntry.objects.get(user=learner)
    assert entry.level == manual and entry.status == "pending"


def test_a_level_without_requirements_is_for_a_certifier_to_give_with_a_reason(
    certifier, learner, site, django_capture_on_commit_callbacks
):
    """No one is queued for it or given it automatically (it would go to everyone), and it is not anyone's "next"
    level; a certifier issues it outside the rules, with the reason on record."""
    held = make_reachable_level(site, [learner], name="Held", requires_approval=False)
    open_level = make_level(name="Open", requires_approval=False)
    queued_level = make_level(name="Queued")
    following = make_reachable_level(site, [learner], name="Following")
    with django_capture_on_commit_callbacks(execute=True):
        services.progression_refresh()
    assert list(Certificate.objects.values_list("level", flat=True)) == [held.pk]
    assert list(QueueEntry.objects.values_list("level", flat=True)) == [following.pk]
    progress = services.eligibility.evaluate_user(learner)
    assert not progress.for_level(queued_level.pk).eligible and progress.for_level(queued_level.pk).percent == 0
    assert progress.next.level == following
    with pytest.raises(ValidationError) as refusal:
        services.certificate_issue(actor=certifier, user=learner, level=open_level)
    assert "write the reason" in str(refusal.value)
    assert Certificate.objects.filter(level=open_level).count() == 0
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=open_level, outside_rules_reason="Led the 2026 regional training"
    )
    entry = AuditEntry.objects.get(certificate=certificate)
    assert (entry.action, entry.reason) == ("issue_outside_rules", "Led the 2026 regional training")


def test_reject_needs_a_reason_and_keeps_the_person_out_of_the_queue(certifier, learner, site):
    level = make_reachable_level(site, [learner])
    services.progression_refresh(user_ids=[learner.pk])
    entry = QueueEntry.objects.get(user=learner, level=level)
    with pytest.raises(ValidationError):
        services.queue_reject(actor=certifier, entry=entry, reason="")
    entry.refresh_from_db()
    assert entry.status == "pending"
    services.queue_reject(actor=certifier, entry=entry, reason="Evidence from another person")
    services.progression_refresh(user_ids=[learner.pk])
    entry.refresh_from_db()
    assert entry.status == "rejected"
    assert AuditEntry.objects.get(action="reject").reason == "Evidence from another person"


def test_bulk_issue_reports_refusals_without_undoing_the_rest(certifier, site):
    people = [make_user() for _ in range(3)]
    first = make_reachable_level(site, people)
    services.progression_refresh(user_ids=[p.pk for p in people])
    entries = list(QueueEntry.objects.order_by("pk"))
    services.certificate_issue(actor=certifier, user=people[1], level=first)  # decided meanwhile
    result = services.certificate_bulk_issue(actor=certifier, entries=entries)
    assert len(result.issued) == 2 and len(result.refused) == 1
    assert Certificate.objects.filter(level=first).count() == 3


def test_holder_may_withdraw_only_their_own(certifier, learner):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(), outside_rules_reason=GIVEN
    )
    with pytest.raises(PermissionDenied):
        services.certificate_withdraw(user=make_user(), certificate=certificate)
    services.certificate_withdraw(user=learner, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revocation_reason_public


def test_a_course_requirement_must_point_at_a_course(site):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from certificates.models import Requirement

    level = make_level()
    requirement = Requirement(level=level, kind="course_completed", course_page=site["en"])
    with pytest.raises(DjangoValidationError):
        requirement.full_clean()


def test_the_certifiers_role_holds_the_app_permissions_but_cannot_edit_the_audit_log(certifier, learner):
    assert certifier.has_perm("certificates.issue_outside_rules")
    assert certifier.has_perm("certificates.change_level") and certifier.has_perm("certificates.view_auditentry")
    assert not certifier.has_perm("certificates.change_auditentry")
    assert not certifier.has_perm("certificates.delete_auditentry")
    assert not learner.has_perm("certificates.view_certificate")


def test_the_queue_and_the_services_agree_on_who_certifies_which_level(certifier):
    """`certifiable_levels` (what the queue and the forms offer) and `may_certify` (what the services allow) are
    one rule: for every kind of account and every kind of level, they give the same answer."""
    senior = Group.objects.create(name="Senior certifiers")
    levels = [make_level(name="Open"), make_level(name="Reserved", certifier_group=senior)]
    in_group, inactive, group_without_role = (
        make_user(role=roles.CERTIFIERS),
        make_user(role=roles.CERTIFIERS),
        make_user(),
    )
    for user in (in_group, inactive, group_without_role):
        user.groups.add(senior)
    inactive.is_active = False
    inactive.save()
    actors = {
        "certifier": certifier,
        "certifier in the group": in_group,
        "inactive certifier": inactive,
        "superuser": make_user(role="admin"),
        "learner in the group": group_without_role,
        "trainer": make_user(role=roles.TRAINERS),
        "anonymous": AnonymousUser(),
    }
    expected = {
        "certifier": {"Open"},
        "certifier in the group": {"Open", "Reserved"},
        "superuser": {"Open", "Reserved"},
    }
    for name, actor in actors.items():
        offered = set(services.certifiable_levels(actor).values_list("name", flat=True))
        allowed = {level.name for level in levels if services.may_certify(actor, level)}
        assert offered == allowed == expected.get(name, set()), name
