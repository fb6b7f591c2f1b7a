"""Fixtures of the hardening tests: a throwaway certificate signing key (from a file outside the repository) and
folders of the test's own for the storage checks."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates.signing import private_key_pem


@pytest.fixture
def signing_key(settings, tmp_path):
    path = tmp_path / "issuer.pem"
    path.write_bytes(private_key_pem(Ed25519PrivateKey.generate()))
    settings.CERTIFICATES_SIGNING_KEY_FILE = str(path)
    return path


@pytest.fixture
def roots(settings, tmp_path):
    """Public and private folders of the test's own, side by side as in production."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STATIC_ROOT = tmp_path / "static"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
    return tmp_path
