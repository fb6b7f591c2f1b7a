"""Encryption at rest for field practice records (docs/practice.md, "Encryption and rotation").

The free text of a record (narrative, names, notes, consent note), the original names of its files and the files
themselves are stored as Fernet tokens (AES-128-CBC + HMAC-SHA256, from `cryptography`) under the keys in
`settings.PRACTICE_ENCRYPTION_KEYS`: the first key encrypts, every key decrypts (`MultiFernet`), so a new key is put
first, `manage.py practice_rotate_keys` re-encrypts everything with it, and the old key is then removed. The keys
live outside the database (an environment variable): a database dump, or a copy of the private files, alone reveals
nothing written in a record.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .keys import derive_key

__all__ = ["EncryptedTextField", "InvalidToken", "decrypt_bytes", "derive_key", "encrypt_bytes"]


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PRACTICE_ENCRYPTION_KEYS is empty: set at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        # The message never repeats the key.
        raise ImproperlyConfigured(
            "PRACTICE_ENCRYPTION_KEYS holds a value that is not a Fernet key (32 url-safe base64-encoded bytes)."
        ) from error


def fernet() -> MultiFernet:
    """The keys of the current settings (read each time, so a test or a rotation that changes them is obeyed)."""
    return _multifernet(tuple(settings.PRACTICE_ENCRYPTION_KEYS))


def primary_fernet() -> Fernet:
    return Fernet(settings.PRACTICE_ENCRYPTION_KEYS[0])


def encrypt_bytes(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return fernet().decrypt(token)


def encrypt_text(value: str) -> str:
    return fernet().encrypt(value.encode()).decode("ascii")


def decrypt_text(token: str) -> str:
    return fernet().decrypt(token.encode("ascii")).decode()


def encrypted_with_primary(token: bytes) -> bool:
    """Whether a token is already encrypted with the first key (the rotation skips those)."""
    try:
        primary_fernet().decrypt(token)
    except InvalidToken:
        return False
    return True


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token, read back as plaintext. An empty value stays empty (no token), so a dump shows
    only whether an optional field was filled in. Lookups other than "is empty" are meaningless on it."""

    description = "Text encrypted at rest (Fernet)"

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt_text(value)
