"""Reads for pages, each in a fixed number of queries."""

import re
from urllib.parse import urlencode

from django.db import connection
from django.db.models import QuerySet
from django.utils import translation

from lms import roles
from lms.rows import RowReader

from . import eligibility
from .models import AuditEntry, Certificate, Level, NamePreference, QueueEntry, texts_prefetch
from .pdf import verification_url

CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")  # secrets.token_urlsafe's alphabet


def user_progress(user, certificates: list[Certificate]) -> eligibility.UserProgress:
    """A person's progress for showing it: the cached ladder, and their certificates (`certificates_of`)."""
    language = translation.get_language() or "en"
    return eligibility.evaluate_user(
        user, language=language, ladder_and_labels=eligibility.display_ladder(language), certificates=certificates
    )


def certificates_of(user) -> list[Certificate]:
    return list(
        Certificate.objects.filter(holder=user).select_related("level").prefetch_related(texts_prefetch("level__texts"))
    )


def name_preference(user) -> NamePreference:
    return NamePreference.objects.filter(user=user).first() or NamePreference(user=user)


def printed_name_for(user) -> str:
    """The name the holder chose to have printed; their display name (or username) by default."""
    preference = NamePreference.objects.filter(user=user).first()
    if preference and preference.source == NamePreference.Source.LEGAL and preference.legal_name.strip():
        return preference.legal_name.strip()
    if preference and preference.source == NamePreference.Source.PSEUDONYM and preference.pseudonym.strip():
        return preference.pseudonym.strip()
    return user.public_name


_BY_CODE = RowReader(Certificate, exclude=["evidence"])
_BY_CODE_SQL = _BY_CODE.select(f"{connection.ops.quote_name('verification_code')} = %s")


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate for a verification code, or None for anything unknown or malformed (one query at most;
    none for a malformed code, which also keeps NUL bytes and the like away from the database).

    The first check of each certificate runs this, so the query is written out: building it with the ORM cost
    0.59 ms of CPU, the written-out query 0.14 ms (bench/README.md). The evidence, never shown, is left out."""
    if not CODE_PATTERN.fullmatch(code or ""):
        return None
    return _BY_CODE.fetch_one(_BY_CODE_SQL, [code])


def level_name(level_id: int) -> str:
    """A level's name in the active language, from the cached ladder (no query while it is cached)."""
    language = translation.get_language() or "en"
    name = eligibility.level_names(language).get(level_id)
    if name is None:  # a level another worker added before this process saw its renewal: read just this one
        name = Level.objects.prefetch_related(texts_prefetch()).get(pk=level_id).localized_name(language)
    return name


def certificate_by_serial_and_code(serial: str, code: str) -> Certificate | None:
    certificate = certificate_by_code(code)
    return certificate if certificate is not None and certificate.serial == serial.strip() else None


def certificate_for_owner_or_certifier(user, serial: str) -> Certificate | None:
    """Downloads (PDF, credential) are for the holder and for certifiers; anyone else gets None (a 404)."""
    certificate = Certificate.objects.filter(serial=serial).select_related("level").first()
    if certificate is None:
        return None
    if certificate.holder_id == user.pk or roles.is_certifier(user):
        return certificate
    return None


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's documented "add certification to profile" link; nothing is sent until the holder clicks."""
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": level_name(certificate.level_id),
        "organizationName": certificate.issuer_name,
        "issueYear": certificate.issued_at.year,
        "issueMonth": certificate.issued_at.month,
        "certUrl": verification_url(certificate, language=translation.get_language()),
        "certId": certificate.serial,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(query)


def queue_entries(*, levels: QuerySet[Level]) -> QuerySet[QueueEntry]:
    """Pending entries for `levels` (those the certifier may act on, services.certifiable_levels), with the person
    and the level: the queue's listing and its bulk issue read them."""
    return QueueEntry.objects.filter(status=QueueEntry.Status.PENDING, level__in=levels).select_related("user", "level")


def certificates_listed() -> QuerySet[Certificate]:
    """Every certificate with its level, holder and issuer (the certifiers' listing, one query per page)."""
    return Certificate.objects.select_related("level", "holder", "issued_by")


def audit_entries() -> QuerySet[AuditEntry]:
    """The audit log with everything a row names (the certifiers' listing, one query per page)."""
    return AuditEntry.objects.select_related("actor", "subject", "level", "certificate")
