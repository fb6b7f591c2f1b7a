"""Every operation that changes certificates: issue, bulk issue, reject, revoke, reissue, withdraw, refresh.

Permissions are checked here, so the admin views, the tasks and the tests share one rule. Every decision
writes an AuditEntry in the same transaction as the change it records.
"""

import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import roles

from . import eligibility, pagecache, selectors
from .models import WITHDRAWN_BY_HOLDER, AuditEntry, Certificate, Level, NamePreference, QueueEntry, SerialCounter

User = get_user_model()
logger = logging.getLogger(__name__)


def may_certify(actor, level: Level) -> bool:
    """Certifiers may act on every level, except levels reserved to a named group of certifiers."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return False
    if actor.is_superuser:
        return True
    if not roles.is_certifier(actor):
        return False
    return level.certifier_group_id is None or actor.groups.filter(pk=level.certifier_group_id).exists()


def certifiable_levels(actor) -> QuerySet[Level]:
    """The levels `actor` may issue and revoke, as a query (`may_certify`'s rule, for the queue's lists)."""
    if actor is None or not actor.is_authenticated or not actor.is_active or not roles.is_certifier(actor):
        return Level.objects.none()
    if actor.is_superuser:
        return Level.objects.all()
    return Level.objects.filter(Q(certifier_group__isnull=True) | Q(certifier_group__in=actor.groups.all()))


def _require_certifier(actor, level: Level) -> None:
    if not may_certify(actor, level):
        raise PermissionDenied(_("You may not issue or revoke certificates of this level."))


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Write a reason.")})
    return reason


def _next_serial(year: int) -> tuple[int, str]:
    """Lock the year's counter row and take the next number; a rollback gives the number back (gap-free)."""
    SerialCounter.objects.bulk_create([SerialCounter(year=year)], ignore_conflicts=True)
    counter = SerialCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number, f"{year}-{counter.last_number:06d}"


def _free_status_index() -> int:
    """A random free position in the revocation status list, drawn under the year's serial lock. Random, as the
    Bitstring Status List spec advises, so that a credential's position tells nothing of when it was issued or
    of how many were; the list is kept at most half full, so a draw rarely needs a second try."""
    from .credentials import status_list_size

    size = status_list_size(2 * Certificate.objects.count() + 1)
    while True:
        index = secrets.randbelow(size)
        if not Certificate.objects.filter(status_index=index).exists():
            return index


def _schedule_refresh(user_id: int) -> None:
    """A new certificate may open the next level ("level held"): re-evaluate after the commit."""
    from .tasks import progression_refresh_task

    transaction.on_commit(lambda: progression_refresh_task.enqueue(user_ids=[user_id]), robust=True)


def _create_certificate(
    *, user, level: Level, actor, action: str, evidence: list, reason: str = "", replaces: Certificate | None = None
) -> Certificate:
    now = timezone.now()
    number, serial = _next_serial(now.year)
    certificate = Certificate(
        serial=serial,
        year=now.year,
        number=number,
        level=level,
        holder=user,
        holder_name=selectors.printed_name_for(user),
        language=user.preferred_language,
        issued_at=now,
        issued_by=actor,
        issuer_name=settings.WAGTAIL_SITE_NAME,
        verification_code=secrets.token_urlsafe(32),  # 256 bits
        evidence=evidence,
        outside_rules_reason=reason if action == AuditEntry.Action.ISSUE_OUTSIDE_RULES else "",
        replaces=replaces,
        status_index=_free_status_index(),
    )
    certificate.full_clean()
    certificate.save()
    AuditEntry.objects.create(
        action=action, actor=actor, subject=user, level=level, certificate=certificate, reason=reason
    )
    QueueEntry.objects.filter(user=user, level=level).delete()
    if level.granted_group_id:
        roles.grant_role(user, level.granted_group.name)
    _schedule_refresh(user.pk)
    return certificate


def _withdraw_granted_group(certificate: Certificate) -> None:
    """A revoked certificate takes back the group its level granted, unless another valid certificate grants it."""
    group_id, holder = certificate.level.granted_group_id, certificate.holder
    if group_id is None or holder is None:
        return
    if Certificate.objects.filter(holder=holder, level__granted_group_id=group_id, revoked_at__isnull=True).exists():
        return
    roles.revoke_role(holder, certificate.level.granted_group.name)


def _holds(user, level: Level) -> bool:
    return Certificate.objects.filter(holder=user, level=level, revoked_at__isnull=True).exists()


@transaction.atomic
def certificate_issue(*, actor, user, level: Level, outside_rules_reason: str = "") -> Certificate:
    """Issue `level` to `user`. Someone not eligible may only get it with a written reason (recorded). A level
    without requirements is never met (eligibility.LevelProgress.complete): it is always issued outside the
    rules, so the certifier's reason for each holder is on record."""
    _require_certifier(actor, level)
    if not user.is_active:
        raise ValidationError(_("This account is not active."))
    if _holds(user, level):
        raise ValidationError(_("%(user)s already holds a valid certificate of this level.") % {"user": user})
    progress = eligibility.evaluate_user(user).for_level(level.pk)
    reason = (outside_rules_reason or "").strip()
    if progress.eligible and not reason:
        action = AuditEntry.Action.ISSUE
    else:
        if not reason:
            raise ValidationError(
                {
                    "outside_rules_reason": _(
                        "%(user)s does not meet the requirements of this level. To issue it anyway, write the reason."
                    )
                    % {"user": user}
                }
            )
        if not actor.has_perm("certificates.issue_outside_rules"):
            raise PermissionDenied(_("You may not issue certificates outside the rules."))
        action = AuditEntry.Action.ISSUE_OUTSIDE_RULES
    return _create_certificate(
        user=user, level=level, actor=actor, action=action, evidence=progress.evidence_json(), reason=reason
    )


@dataclass
class BulkResult:
    issued: list[Certificate]
    refused: list[tuple[QueueEntry, str]]


def certificate_bulk_issue(*, actor, entries: list[QueueEntry]) -> BulkResult:
    """Issue every pending entry that is still eligible; each in its own transaction, so one refusal
    (someone who is no longer eligible, a level this certifier may not issue) does not undo the others."""
    result = BulkResult(issued=[], refused=[])
    for entry in entries:
        try:
            result.issued.append(certificate_issue(actor=actor, user=entry.user, level=entry.level))
        except (ValidationError, PermissionDenied) as error:
            message = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            result.refused.append((entry, message))
    return result


@transaction.atomic
def queue_reject(*, actor, entry: QueueEntry, reason: str) -> QueueEntry:
    """Refuse a pending candidate with a reason; they come back to the queue only with new evidence."""
    _require_certifier(actor, entry.level)
    reason = _require_reason(reason)
    entry = QueueEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status != QueueEntry.Status.PENDING:
        raise ValidationError(_("This request was already decided."))
    entry.status = QueueEntry.Status.REJECTED
    entry.reason = reason
    entry.decided_by = actor
    entry.decided_at = timezone.now()
    entry.full_clean()
    entry.save()
    AuditEntry.objects.create(
        action=AuditEntry.Action.REJECT, actor=actor, subject=entry.user, level=entry.level, reason=reason
    )
    return entry


def _mark_revoked(certificate: Certificate, *, actor, reason: str, public: bool, action: str) -> Certificate:
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(_("This certificate is already revoked."))
    certificate.revoked_at = timezone.now()
    certificate.revoked_by = actor
    certificate.revocation_reason = reason
    certificate.revocation_reason_public = public
    certificate.full_clean()
    certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "revocation_reason_public"])
    AuditEntry.objects.create(
        action=action,
        actor=actor,
        subject=certificate.holder,
        level=certificate.level,
        certificate=certificate,
        reason=reason,
    )
    _withdraw_granted_group(certificate)
    pagecache.invalidate([certificate.verification_code])
    return certificate


@transaction.atomic
def certificate_revoke(*, actor, certificate: Certificate, reason: str, public: bool = False) -> Certificate:
    """Revoke with a reason; `public` shows the reason on the verification page."""
    _require_certifier(actor, certificate.level)
    reason = _require_reason(reason)
    return _mark_revoked(certificate, actor=actor, reason=reason, public=public, action=AuditEntry.Action.REVOKE)


@transaction.atomic
def certificate_withdraw(*, user, certificate: Certificate) -> Certificate:
    """The holder revokes their own certificate (for example before deleting the account)."""
    if not user.is_authenticated or certificate.holder_id != user.pk:
        raise PermissionDenied
    return _mark_revoked(
        certificate, actor=user, reason=WITHDRAWN_BY_HOLDER, public=True, action=AuditEntry.Action.WITHDRAW
    )


@transaction.atomic
def certificate_reissue(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Replace a certificate (a corrected printed name, a lost code): the old one is revoked, a new serial issued."""
    _require_certifier(actor, certificate.level)
    reason = _require_reason(reason)
    certificate = (
        Certificate.objects.select_for_update(of=("self",)).select_related("holder", "level").get(pk=certificate.pk)
    )
    if certificate.holder is None:
        raise ValidationError(_("The holder deleted their account; this certificate cannot be reissued."))
    if certificate.is_revoked:  # a revocation for fraud, or the holder's withdrawal, is not undone by a reissue
        raise ValidationError(
            _("A revoked certificate cannot be reissued. Issue the level again, outside the rules if need be.")
        )
    _mark_revoked(certificate, actor=actor, reason=reason, public=False, action=AuditEntry.Action.REVOKE)
    return _create_certificate(
        user=certificate.holder,
        level=certificate.level,
        actor=actor,
        action=AuditEntry.Action.REISSUE,
        evidence=certificate.evidence,
        reason=reason,
        replaces=certificate,
    )


def progression_refresh(*, user_ids: list[int] | None = None) -> None:
    """Bring the queue up to date for these users (everyone when None) and auto-issue levels without approval."""
    progress = eligibility.evaluate(user_ids=user_ids)
    users = User.objects.in_bulk(list(progress))
    entries = {(e.user_id, e.level_id): e for e in _queue_entries(user_ids)}
    now = timezone.now()
    for user_id, user_progress in progress.items():
        for level_progress in user_progress.levels:
            level = level_progress.level
            entry = entries.get((user_id, level.pk))
            if not level_progress.eligible:
                if entry is not None and entry.status == QueueEntry.Status.PENDING:
                    entry.delete()
                continue
            if not level.requires_approval:
                _auto_issue(users[user_id], level, level_progress)
            elif entry is None:
                QueueEntry.objects.get_or_create(user_id=user_id, level=level, defaults={"eligible_since": now})
            elif entry.status == QueueEntry.Status.REJECTED and _has_newer_evidence(level_progress, entry):
                # New evidence since the rejection: back to the queue for another look.
                entry.status = QueueEntry.Status.PENDING
                entry.eligible_since = now
                entry.save(update_fields=["status", "eligible_since"])


def _has_newer_evidence(level_progress, entry: QueueEntry) -> bool:
    latest = level_progress.latest_evidence_at
    return latest is not None and entry.decided_at is not None and latest > entry.decided_at


def _queue_entries(user_ids):
    entries = QueueEntry.objects.all()
    return entries if user_ids is None else entries.filter(user_id__in=user_ids)


def _auto_issue(user, level: Level, level_progress) -> None:
    try:
        with transaction.atomic():
            _create_certificate(
                user=user,
                level=level,
                actor=None,
                action=AuditEntry.Action.AUTO_ISSUE,
                evidence=level_progress.evidence_json(),
            )
    except (IntegrityError, ValidationError) as error:
        # Issued concurrently by another worker (the unique constraint keeps one valid certificate), or refused:
        # either way the refresh goes on with the others.
        logger.info("automatic issue of %s to user %s skipped: %s", level, user.pk, error)


@transaction.atomic
def name_preference_update(*, user, source: str, legal_name: str = "", pseudonym: str = "") -> NamePreference:
    """Choose the name printed on certificates issued from now on."""
    if not user.is_authenticated:
        raise PermissionDenied
    preference = NamePreference.objects.filter(user=user).first() or NamePreference(user=user)
    preference.source = source
    preference.legal_name = legal_name.strip()
    preference.pseudonym = pseudonym.strip()
    preference.full_clean()
    preference.save()
    return preference
