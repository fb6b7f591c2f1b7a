"""Certificates in "Download my data" and "Delete my account".

On deletion a certificate stays verifiable, but only as "issued to a deleted account": the holder link and the
printed name are dropped, while the serial, level, date and status remain, so a paper copy someone already
relied on is not turned into an apparent forgery. A holder who wants no confirmation at all withdraws (revokes)
the certificate first, on the progression page. Revoked certificates are kept the same way, so a revoked paper
still reads "revoked" rather than "not found". See docs/certificates.md.
"""

from django.utils import timezone

from . import pagecache, pdf
from .models import AuditEntry, Certificate, NamePreference, QueueEntry


def export(user) -> dict:
    preference = NamePreference.objects.filter(user=user).first()
    return {
        "name_preference": {
            "source": preference.source,
            "legal_name": preference.legal_name,
            "pseudonym": preference.pseudonym,
        }
        if preference
        else None,
        "certificates": [
            {
                "serial": c.serial,
                "level": c.level.name,
                "name_as_printed": c.holder_name,
                "issued_at": c.issued_at,
                "verification_url": pdf.verification_url(c),
                "revoked_at": c.revoked_at,
                "revocation_reason": c.revocation_reason_shown,
                "evidence": c.evidence,
            }
            for c in Certificate.objects.filter(holder=user).select_related("level")
        ],
        "queue": [
            {"level": e.level.name, "status": e.status, "eligible_since": e.eligible_since, "reason": e.reason}
            for e in QueueEntry.objects.filter(user=user).select_related("level")
        ],
        # Every decision about this person (a rejection's reason stays here after the queue entry has gone);
        # which certifier decided is the certifiers' record, not part of this person's data.
        "decisions": [
            {
                "action": e.get_action_display(),
                "at": e.created_at,
                "level": e.level.name if e.level else None,
                "certificate": e.certificate.serial if e.certificate else None,
                "reason": e.reason_shown,
            }
            for e in AuditEntry.objects.filter(subject=user).select_related("level", "certificate").order_by("pk")
        ],
    }


def erase(user) -> None:
    certificates = Certificate.objects.filter(holder=user)
    codes = list(certificates.values_list("verification_code", flat=True))
    # The reasons go too: one written about the person (of a revocation, or of an issue outside the rules) could
    # name them. A revoked certificate still reads "revoked", with its date.
    certificates.update(
        holder=None,
        holder_name="",
        evidence=[],
        holder_erased_at=timezone.now(),
        revocation_reason="",
        revocation_reason_public=False,
        outside_rules_reason="",
    )
    pagecache.invalidate(codes)
    # The audit trail keeps who decided what and when, but no longer who it was about, nor the reasons
    # written about that person (a rejection reason can describe them).
    AuditEntry.objects.filter(subject=user).update(subject=None, reason="")
    QueueEntry.objects.filter(user=user).delete()
    NamePreference.objects.filter(user=user).delete()
