"""Open Badges 3.0 credentials: signed with eddsa-rdfc-2022, verified with the key the site publishes."""

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from pyld.jsonld import JsonLdError

from certificates import credentials, services, signing
from certificates.jsonld import document_loader

from .conftest import make_level

pytestmark = pytest.mark.django_db


def published_did_document(client):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def credential(certifier, learner, client):
    certificate = services.certificate_issue(actor=certifier, user=learner, level=make_level(name="Street Lawyer"))
    client.force_login(learner)
    response = client.get(f"/certificates/{certificate.serial}/credential.json")
    assert response.status_code == 200
    return certificate, json.loads(response.content)


def leaf_paths(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaf_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaf_paths(value, (*path, index))
    else:
        yield path


def test_the_downloaded_credential_verifies_with_the_published_key(credential, client):
    certificate, document = credential
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert document["credentialSubject"]["id"].startswith("urn:uuid:")
    text = json.dumps(document)
    assert "Aigerim" not in text and certificate.holder.username not in text  # pseudonymous subject
    assert signing.verify(document, did_doc=published_did_document(client)).verified


def test_changing_any_field_breaks_the_signature(credential, client):
    _certificate, document = credential
    did_doc = published_did_document(client)
    paths = [p for p in leaf_paths(document) if p != ("proof", "proofValue")]
    assert len(paths) > 20
    for path in paths:
        tampered = copy.deepcopy(document)
        target = tampered
        for step in path[:-1]:
            target = target[step]
        original = target[path[-1]]
        target[path[-1]] = original + "x" if isinstance(original, str) else "changed"
        assert not signing.verify(tampered, did_doc=did_doc).verified, path


def test_another_key_does_not_verify(credential, settings, tmp_path):
    _certificate, document = credential
    other = tmp_path / "other.pem"
    other.write_bytes(signing.private_key_pem(Ed25519PrivateKey.generate()))
    settings.CERTIFICATES_SIGNING_KEY_FILE = str(other)
    assert not signing.verify(document, did_doc=signing.did_document()).verified


def test_multikey_encoding_matches_the_w3c_test_vector():
    """The key pair of the W3C vc-di-eddsa test vectors: its secret seed gives the public multikey the spec prints."""
    secret = signing.base58btc_decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    assert secret[:2] == b"\x80\x26"  # the ed25519-priv multicodec
    key = Ed25519PrivateKey.from_private_bytes(secret[2:])
    assert signing.public_key_multibase(key.public_key()) == "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"


def test_revocation_is_published_in_the_status_list(credential, certifier, client):
    certificate, document = credential
    status = document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    url = status["statusListCredential"].removeprefix("https://learn.example.org")
    did_doc = published_did_document(client)
    listing = json.loads(client.get(url).content)
    assert signing.verify(listing, did_doc=did_doc).verified
    assert not credentials.is_revoked_in(listing, int(status["statusListIndex"]))
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Issued by mistake")
    listing = json.loads(client.get(url).content)
    assert signing.verify(listing, did_doc=did_doc).verified
    assert credentials.is_revoked_in(listing, int(status["statusListIndex"]))


def test_the_document_loader_refuses_any_other_url():
    assert document_loader("https://www.w3.org/ns/credentials/v2")["document"]["@context"]
    with pytest.raises(JsonLdError):
        document_loader("https://example.org/evil-context.jsonld")


def test_a_credential_with_an_unknown_context_does_not_verify(credential, client):
    _certificate, document = credential
    document["@context"].append("https://example.org/extra-context")
    assert not signing.verify(document, did_doc=published_did_document(client)).verified


def test_production_refuses_to_start_without_a_key(settings):
    from certificates.checks import check_signing_key

    settings.CERTIFICATES_SIGNING_KEY_FILE = ""
    settings.SETTINGS_MODULE = "lms.settings.production"
    errors = check_signing_key()
    assert [e.id for e in errors] == ["certificates.E001"]
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        signing.signing_key()


def test_a_malformed_key_is_reported(settings):
    from certificates.checks import check_signing_key

    settings.CERTIFICATES_SIGNING_KEY = "bm90IGEga2V5"  # base64 of "not a key"
    assert [e.id for e in check_signing_key()] == ["certificates.E002"]


def test_debug_generates_a_development_key_once(settings, tmp_path, monkeypatch):
    settings.CERTIFICATES_SIGNING_KEY_FILE = ""
    settings.DEBUG = True
    settings.BASE_DIR = tmp_path
    first = signing.signing_key()
    assert (tmp_path / "var" / "certificates-signing-key.pem").exists()
    assert signing.signing_key() is first
