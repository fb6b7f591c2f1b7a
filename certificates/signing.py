"""Ed25519 issuer key, its did:web document, and eddsa-rdfc-2022 Data Integrity proofs.

The key comes from CERTIFICATES_SIGNING_KEY (PEM or base64 of the 32-byte seed) or from the file named by
CERTIFICATES_SIGNING_KEY_FILE (read from settings first, then the environment). With DEBUG on and neither
set, a development key is generated once under var/ (gitignored). In production a missing key is a system
check error (checks.py), so the server refuses to start rather than signing with a throwaway key.
"""

import base64
import binascii
import copy
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyld import jsonld as pyld

from .jsonld import DID_V1, MULTIKEY_V1, document_loader

ED25519_MULTICODEC = b"\xed\x01"
CRYPTOSUITE = "eddsa-rdfc-2022"
KEY_FRAGMENT = "key-1"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


class SigningKeyMissing(ImproperlyConfigured):
    pass


def _setting(name: str) -> str:
    return getattr(settings, name, None) or os.environ.get(name, "")


def development_key_path() -> Path:
    return Path(settings.BASE_DIR) / "var" / "certificates-signing-key.pem"


def key_source() -> tuple[str, str] | None:
    """("inline", value) or ("file", path) as configured, or None."""
    if value := _setting("CERTIFICATES_SIGNING_KEY"):
        return ("inline", value)
    if path := _setting("CERTIFICATES_SIGNING_KEY_FILE"):
        return ("file", path)
    return None


def parse_private_key(raw: str | bytes) -> Ed25519PrivateKey:
    """Accept a PEM (PKCS#8) Ed25519 key or the base64 of its 32-byte seed."""
    data = raw.encode() if isinstance(raw, str) else raw
    data = data.strip()
    if data.startswith(b"-----BEGIN"):
        key = serialization.load_pem_private_key(data, password=None)
    else:
        try:
            seed = base64.b64decode(data, validate=True)
        except binascii.Error as error:
            raise ImproperlyConfigured("The certificate signing key is neither PEM nor base64.") from error
        if len(seed) != 32:
            raise ImproperlyConfigured("A base64 certificate signing key must decode to 32 bytes (an Ed25519 seed).")
        key = Ed25519PrivateKey.from_private_bytes(seed)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("The certificate signing key must be an Ed25519 key.")
    return key


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


_key_lock = threading.Lock()
_key_cache: dict[tuple, Ed25519PrivateKey] = {}


def signing_key() -> Ed25519PrivateKey:
    source = key_source()
    if source is None:
        if not settings.DEBUG:
            raise SigningKeyMissing(
                "No certificate signing key: set CERTIFICATES_SIGNING_KEY or CERTIFICATES_SIGNING_KEY_FILE."
            )
        source = ("file", str(development_key_path()))
    with _key_lock:
        if source not in _key_cache:
            kind, value = source
            if kind == "file":
                path = Path(value)
                if not path.exists() and settings.DEBUG and path == development_key_path():
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(private_key_pem(Ed25519PrivateKey.generate()))
                    path.chmod(0o600)
                value = path.read_bytes()
            _key_cache[source] = parse_private_key(value)
        return _key_cache[source]


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, rest = divmod(number, 58)
        out = _B58[rest] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise ValueError("not base58btc")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "z" + base58btc(ED25519_MULTICODEC + raw)


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("expected a base58btc multibase value")
    decoded = base58btc_decode(value[1:])
    if not decoded.startswith(ED25519_MULTICODEC) or len(decoded) != 34:
        raise ValueError("not an Ed25519 multikey")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def issuer_did() -> str:
    """did:web of the site's host (a port is percent-encoded, as the did:web method says)."""
    parts = urlsplit(site_url())
    did = "did:web:" + quote(parts.netloc, safe="")
    for segment in [s for s in parts.path.split("/") if s]:
        did += ":" + quote(segment, safe="")
    return did


def verification_method_id() -> str:
    return f"{issuer_did()}#{KEY_FRAGMENT}"


def did_document() -> dict:
    did = issuer_did()
    method = {
        "id": verification_method_id(),
        "type": "Multikey",
        "controller": did,
        "publicKeyMultibase": public_key_multibase(signing_key().public_key()),
    }
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": [method],
        "assertionMethod": [method["id"]],
    }


class UnsignedData(pyld.JsonLdError):
    """Data in a document that canonicalization would drop: a term no context defines, or a relative IRI. It
    would not be covered by the signature, so anyone could add it to a signed credential unnoticed."""

    def __init__(self, message: str):
        super().__init__(message, "jsonld.UnsignedData")


def _refuse_dropped(expanded_property) -> None:
    raise UnsignedData(f"the term {expanded_property!r} is not defined by the document's contexts")


def _refuse_relative_iris(expanded) -> None:
    """Node ids and types must be absolute IRIs (or blank nodes): RDF conversion skips relative ones."""
    if isinstance(expanded, list):
        for item in expanded:
            _refuse_relative_iris(item)
    elif isinstance(expanded, dict):
        if "@value" in expanded:
            return
        iris = ([expanded["@id"]] if "@id" in expanded else []) + list(expanded.get("@type", []))
        for iri in iris:
            if ":" not in iri:  # pyld's own test for an absolute IRI; "_:b0" is a blank node
                raise UnsignedData(f"the IRI {iri!r} is relative")
        for key, value in expanded.items():
            if key not in ("@id", "@type"):
                _refuse_relative_iris(value)


def _canonical_hash(document: dict) -> bytes:
    """SHA-256 of the RDFC-1.0 canonical N-Quads, in safe mode: a document with data the canonical form would
    drop is refused (as jsonld.js's `safe: true` does), when signing and when verifying."""
    processor = pyld.JsonLdProcessor(on_property_dropped=_refuse_dropped)
    # No base IRI at all: a relative IRI stays relative and is refused (with "" pyld would resolve it against a
    # placeholder, http://example.org/base/, where other processors drop it).
    expanded = processor.expand(document, {"base": None, "documentLoader": document_loader})
    _refuse_relative_iris(expanded)
    normalized = pyld.normalize(
        expanded,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": document_loader},
    )
    return hashlib.sha256(normalized.encode("utf-8")).digest()


def _hash_data(unsecured: dict, proof_config: dict) -> bytes:
    """eddsa-rdfc-2022: SHA-256 of the canonical proof configuration, then of the canonical document."""
    return _canonical_hash(proof_config) + _canonical_hash(unsecured)


def sign(document: dict, *, created: str) -> dict:
    """Return a copy of `document` with an eddsa-rdfc-2022 DataIntegrityProof added."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    proof_config = {
        "@context": unsecured["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method_id(),
        "proofPurpose": "assertionMethod",
    }
    signature = signing_key().sign(_hash_data(unsecured, proof_config))
    proof = {k: v for k, v in proof_config.items() if k != "@context"}
    proof["proofValue"] = "z" + base58btc(signature)
    return {**unsecured, "proof": proof}


@dataclass(frozen=True)
class VerificationResult:
    verified: bool
    error: str = ""


def verify(secured: dict, *, did_doc: dict) -> VerificationResult:
    """Check an eddsa-rdfc-2022 proof against the key that the given DID document publishes."""
    try:
        document = copy.deepcopy(secured)
        proof = document.pop("proof")
        if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
            return VerificationResult(False, "unsupported proof type")
        if proof.get("proofPurpose") != "assertionMethod":
            return VerificationResult(False, "wrong proof purpose")
        method_id = proof.get("verificationMethod")
        if method_id not in did_doc.get("assertionMethod", []):
            return VerificationResult(False, "the key is not an assertion method of the issuer")
        method = next((m for m in did_doc.get("verificationMethod", []) if m.get("id") == method_id), None)
        if method is None:
            return VerificationResult(False, "unknown verification method")
        issuer = document.get("issuer")
        issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
        if issuer_id != did_doc.get("id") or not method_id.startswith(f"{issuer_id}#"):
            return VerificationResult(False, "the key does not belong to the issuer")
        public_key = public_key_from_multibase(method["publicKeyMultibase"])
        signature = base58btc_decode(proof["proofValue"][1:]) if proof["proofValue"].startswith("z") else b""
        proof_config = {k: v for k, v in proof.items() if k != "proofValue"}
        proof_config["@context"] = document["@context"]
        public_key.verify(signature, _hash_data(document, proof_config))
    except InvalidSignature:
        return VerificationResult(False, "the signature does not match")
    except UnsignedData as error:
        return VerificationResult(False, f"data not covered by the signature: {error.args[0]}")
    except (KeyError, TypeError, ValueError, AttributeError, pyld.JsonLdError) as error:
        return VerificationResult(False, f"malformed credential: {type(error).__name__}")
    return VerificationResult(True)
