"""Open Badges 3.0 credentials: signed with eddsa-rdfc-2022, verified with the key the site publishes."""

import copy
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import Client
from pyld.jsonld import JsonLdError

from certificates import credentials, services, signing
from certificates.jsonld import document_loader
from certificates.models import Level
from lms.testing import make_user

from .conftest import GIVEN, make_level

pytestmark = pytest.mark.django_db


def published_did_document(client):
    response = client.get("/.well-known/did.json")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.fixture
def credential(certifier, learner, client):
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )
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


def object_paths(node, path=()):
    """The path of every JSON object in the document, the document itself first."""
    if isinstance(node, dict):
        yield path
        for key, value in node.items():
            yield from object_paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from object_paths(value, (*path, index))


def at(document, path):
    for step in path:
        document = document[step]
    return document


def test_adding_or_removing_a_field_anywhere_breaks_the_signature(credential, client):
    """A key that no context defines would be dropped by canonicalization, unsigned; adding one is refused
    (safe mode), as is adding a defined term or removing any key."""
    _certificate, document = credential
    did_doc = published_did_document(client)
    objects = list(object_paths(document))
    assert len(objects) >= 7  # the credential, issuer, subject, achievement, criteria, status, proof
    for path in objects:
        for key, value in (("note", "added"), ("@foo", "added"), ("description", "Added text")):
            tampered = copy.deepcopy(document)
            if key in at(tampered, path):
                continue
            at(tampered, path)[key] = value
            result = signing.verify(tampered, did_doc=did_doc)
            assert not result.verified, (path, key)
    for path in objects:
        for key in list(at(document, path)):
            if path == () and key in ("@context", "proof"):
                continue  # without them there is nothing to verify, which verify() also refuses
            tampered = copy.deepcopy(document)
            del at(tampered, path)[key]
            assert not signing.verify(tampered, did_doc=did_doc).verified, (path, key)


def test_an_added_link_with_a_relative_iri_is_refused(credential, client):
    """`image` is an IRI in the Open Badges context: a relative one would be skipped when converting to RDF."""
    _certificate, document = credential
    document["credentialSubject"]["achievement"]["image"] = {"id": "badge.png", "type": "Image"}
    result = signing.verify(document, did_doc=published_did_document(client))
    assert not result.verified and "not covered by the signature" in result.error


def test_signing_refuses_data_the_signature_would_not_cover():
    with pytest.raises(signing.UnsignedData):
        signing.sign(
            {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "note": "x"},
            created="2026-01-01T00:00:00Z",
        )


def test_the_proof_matches_the_w3c_eddsa_rdfc_2022_test_vector(monkeypatch):
    """The vc-di-eddsa spec's signed example (appendix, "Representation: eddsa-rdfc-2022"): the same hash of the
    proof configuration and the document, in that order, the same signature, and verify() accepts it."""
    examples = "https://www.w3.org/ns/credentials/examples/v2"

    def loader(url, options=None):
        if url == examples:  # the spec's examples context, verbatim
            document = {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}
            return {"contextUrl": None, "documentUrl": url, "document": document}
        return document_loader(url, options)

    monkeypatch.setattr(signing, "document_loader", loader)
    issuer = "https://vc.example/issuers/5678"
    method = f"{issuer}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
    unsecured = {
        "@context": ["https://www.w3.org/ns/credentials/v2", examples],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "description": "A minimum viable example of an Alumni Credential.",
        "issuer": issuer,
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"},
    }
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2023-02-24T23:36:38Z",
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    expected = "z21EVs3eXERqTn4acNHT9viboqgzUaQ3kTmhPT3eA8qrVPE7CrQq78WkzctnMX5W4CrzcKnHw8V6dvy5pgWYCU5e9"
    hashed = signing._hash_data(unsecured, {**proof, "@context": unsecured["@context"]})
    assert hashed.hex() == (
        "4c4d3890a157f8d611b13c265c2c22f39aa0a567c7c7dd9ba3e45cd579784eeb"
        "517744132ae165a5349155bef0bb0cf2258fff99dfe1dbd914b938d775a36017"
    )
    secret = signing.base58btc_decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
    signature = Ed25519PrivateKey.from_private_bytes(secret[2:]).sign(hashed)
    assert "z" + signing.base58btc(signature) == expected
    did_doc = {
        "id": issuer,
        "assertionMethod": [method],
        "verificationMethod": [{"id": method, "publicKeyMultibase": method.split("#")[1]}],
    }
    assert signing.verify({**unsecured, "proof": {**proof, "proofValue": expected}}, did_doc=did_doc).verified


def test_control_characters_in_level_texts_stay_out_of_the_credential(certifier, learner, client):
    """pyld would write them unescaped into the canonical form, where other verifiers escape them. The level
    form refuses them; a text stored before that rule (or by code that skips validation) is cleaned on signing."""
    with pytest.raises(ValidationError) as refusal:
        make_level(name="Street\x08Lawyer", description="Reads\x0cbudgets\x7f")
    assert set(refusal.value.message_dict) == {"name", "description"}
    assert "Remove the control characters" in str(refusal.value)
    assert not Level.objects.exists()
    level = make_level(name="Street Lawyer")
    Level.objects.filter(pk=level.pk).update(
        name="Street\x08Lawyer", description="Reads\x0cbudgets\x7f", certificate_text="Line one\nline two"
    )
    level.refresh_from_db()
    certificate = services.certificate_issue(actor=certifier, user=learner, level=level, outside_rules_reason=GIVEN)
    client.force_login(learner)
    document = json.loads(client.get(f"/certificates/{certificate.serial}/credential.json").content)
    achievement = document["credentialSubject"]["achievement"]
    assert (document["name"], achievement["name"]) == ("StreetLawyer", "StreetLawyer")
    assert achievement["description"] == "Readsbudgets"
    assert achievement["criteria"]["narrative"] == "Line one\nline two"
    assert signing.verify(document, did_doc=published_did_document(client)).verified


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


def test_revocation_is_published_in_the_status_list(credential, certifier, client, django_assert_max_num_queries):
    """A verifier fetching the list after a revocation sees it revoked; the cached list costs one query."""
    certificate, document = credential
    status = document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry" and status["statusPurpose"] == "revocation"
    url = status["statusListCredential"].removeprefix("https://learn.example.org")
    did_doc = published_did_document(client)
    response = client.get(url)
    assert response["Cache-Control"] == "no-cache"  # no proxy or browser may answer for it after a revocation
    listing = json.loads(response.content)
    assert signing.verify(listing, did_doc=did_doc).verified
    assert not credentials.is_revoked_in(listing, int(status["statusListIndex"]))
    with django_assert_max_num_queries(1):  # an anonymous verifier: the cached list, after one read of the state
        assert json.loads(Client().get(url).content) == listing
    services.certificate_revoke(actor=certifier, certificate=certificate, reason="Issued by mistake")
    listing = json.loads(client.get(url).content)
    assert signing.verify(listing, did_doc=did_doc).verified
    assert credentials.is_revoked_in(listing, int(status["statusListIndex"]))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # real commits, as in production
def test_a_list_built_while_a_revocation_commits_is_never_served_after_it(certifier, learner, monkeypatch):
    """The race of a cache dropped on commit: a request reads the list, the revocation commits (and its response
    goes out), then the request caches what it read. The next verifier must still see the revocation."""
    certificate = services.certificate_issue(
        actor=certifier, user=learner, level=make_level(name="Street Lawyer"), outside_rules_reason=GIVEN
    )
    sign = signing.sign

    def sign_while_the_revocation_commits(document, **kwargs):
        services.certificate_revoke(actor=certifier, certificate=certificate, reason="Issued by mistake")
        return sign(document, **kwargs)

    monkeypatch.setattr(signing, "sign", sign_while_the_revocation_commits)
    built_before = credentials.status_list_credential()
    assert not credentials.is_revoked_in(built_before, certificate.status_index)  # read before the commit
    monkeypatch.setattr(signing, "sign", sign)
    assert credentials.is_revoked_in(credentials.status_list_credential(), certificate.status_index)


def test_positions_in_the_status_list_are_random_distinct_and_inside_the_list(certifier, client):
    """Drawn at random (an index tells nothing of the issue order), and the list is long enough for all."""
    certificates = [
        services.certificate_issue(actor=certifier, user=make_user(), level=make_level(), outside_rules_reason=GIVEN)
        for _ in range(12)
    ]
    indexes = [c.status_index for c in certificates]
    assert len(set(indexes)) == 12 and indexes != sorted(indexes)
    bits = credentials.decode_bitstring(credentials.status_list_credential()["credentialSubject"]["encodedList"])
    assert len(bits) * 8 == credentials.STATUS_LIST_MIN_BITS > max(indexes)
    assert credentials.status_list_size(credentials.STATUS_LIST_MIN_BITS + 1) == 2 * credentials.STATUS_LIST_MIN_BITS


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
