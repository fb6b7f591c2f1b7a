"""A throwaway certificate signing key, from a file outside the repository, for tests that issue certificates."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates.signing import private_key_pem


@pytest.fixture
def signing_key(settings, tmp_path):
    path = tmp_path / "issuer.pem"
    path.write_bytes(private_key_pem(Ed25519PrivateKey.generate()))
    settings.CERTIFICATES_SIGNING_KEY_FILE = str(path)
    return path
