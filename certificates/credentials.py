"""Open Badges 3.0 credentials (W3C VC 2.0) for certificates, and the revocation status list they point to.

The subject is pseudonymous: a per-certificate urn:uuid, so two certificates of one person cannot be linked
through their credentials, and neither name nor email is in them. Revocation is published as a signed
Bitstring Status List (W3C), which a verifier fetches whole: the server never learns which credential is
being checked (herd privacy), unlike a per-credential status endpoint.
"""

import base64
import gzip
from datetime import UTC

from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.urls import reverse
from django.utils import timezone, translation

from lms.text import without_control_characters

from . import signing
from .jsonld import CREDENTIALS_V2, OPEN_BADGES_V3
from .models import Certificate

STATUS_LIST_MIN_BITS = 131_072  # 16 KiB, the minimum size the Bitstring Status List spec asks for
STATUS_LIST_CACHE_SECONDS = 300


def _absolute(path: str) -> str:
    return signing.site_url() + path


def _iso(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _plain(text: str) -> str:
    """Text without control characters (but tab and line breaks): pyld writes them unescaped in the canonical
    N-Quads, where RDFC-1.0 escapes them, so a credential holding one would not verify elsewhere."""
    return without_control_characters(text)


def status_list_url() -> str:
    with translation.override(None):
        return _absolute(reverse("certificates:status_list"))


def issuer_profile() -> dict:
    """The issuer as an Open Badges Profile whose id is the did:web that publishes the key."""
    from django.conf import settings

    return {
        "id": signing.issuer_did(),
        "type": ["Profile"],
        "name": settings.WAGTAIL_SITE_NAME,
        "url": signing.site_url(),
    }


def unsigned_credential(certificate: Certificate) -> dict:
    level = certificate.level
    language = certificate.language
    name = _plain(level.localized_name(language))
    return {
        "@context": [CREDENTIALS_V2, OPEN_BADGES_V3],
        "id": f"urn:uuid:{certificate.credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer_profile(),
        "validFrom": _iso(certificate.issued_at),
        "name": name,
        "credentialSubject": {
            "id": f"urn:uuid:{certificate.subject_id}",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": f"urn:uuid:{level.achievement_id}",
                "type": ["Achievement"],
                "name": name,
                "description": _plain(level.localized_description(language)) or name,
                "criteria": {"narrative": _plain(level.localized_certificate_text(language)) or name},
            },
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{certificate.status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(certificate.status_index),
            "statusListCredential": status_list_url(),
        },
    }


def signed_credential(certificate: Certificate) -> dict:
    """Signed with a `created` time equal to the issue time, so the same certificate always yields the same bytes."""
    return signing.sign(unsigned_credential(certificate), created=_iso(certificate.issued_at))


def status_list_size(positions: int) -> int:
    """Bits in a list that holds `positions`: a multiple of the spec's minimum size."""
    return max(1, -(-positions // STATUS_LIST_MIN_BITS)) * STATUS_LIST_MIN_BITS


def encode_bitstring(revoked_indexes: list[int], *, size: int) -> str:
    bits = bytearray(size // 8)
    for index in revoked_indexes:
        bits[index // 8] |= 0x80 >> (index % 8)  # index 0 is the left-most bit of the first byte
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    data = encoded[1:] if encoded.startswith("u") else encoded
    return gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))


def is_revoked_in(status_list: dict, index: int) -> bool:
    bits = decode_bitstring(status_list["credentialSubject"]["encodedList"])
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def revocation_state() -> dict:
    """What the status list is a function of, in one query: which positions are revoked (their count, their sum
    and the latest revocation) and the highest position in use (the list's size)."""
    revoked = Q(revoked_at__isnull=False)
    return Certificate.objects.aggregate(
        revoked=Count("pk", filter=revoked),
        revoked_sum=Sum("status_index", filter=revoked),
        last_revoked=Max("revoked_at"),
        highest=Max("status_index"),
    )


def _status_list_cache_key(state: dict) -> str:
    last = state["last_revoked"].timestamp() if state["last_revoked"] else 0
    return f"certificates:status-list:{state['revoked']}:{state['revoked_sum'] or 0}:{last}:{state['highest']}"


def status_list_credential() -> dict:
    """The signed revocation list, cached under the revocation state it was read after.

    The state is read first (one query, on every request), so a list built while a revocation commits is kept
    under the older state, which no request asks for once the revocation's response has been sent: a revoked
    credential is never reported valid from the cache. A miss costs one more query and a signature."""
    state = revocation_state()
    key = _status_list_cache_key(state)
    cached = cache.get(key)
    if cached is not None:
        return cached
    revoked = list(Certificate.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True))
    # Every certificate's position is in the list (one revoked since the state was read may lie past it).
    size = status_list_size(max([state["highest"] or 0, *revoked]) + 1)
    url = status_list_url()
    now = _iso(timezone.now())
    document = {
        "@context": [CREDENTIALS_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": signing.issuer_did(),
        "validFrom": now,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_bitstring(revoked, size=size),
        },
    }
    signed = signing.sign(document, created=now)
    cache.set(key, signed, STATUS_LIST_CACHE_SECONDS)
    return signed
