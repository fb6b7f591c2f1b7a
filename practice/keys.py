"""Key derivation for development and tests, importable from settings (no Django import here)."""

import base64
import hashlib


def derive_key(secret: str) -> str:
    """A Fernet key derived from a secret (development and tests only: production sets the keys themselves)."""
    digest = hashlib.sha256(b"lms.practice.encryption:" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()
