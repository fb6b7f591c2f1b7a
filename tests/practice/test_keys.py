"""Production refuses to start without usable encryption keys, and says so without repeating a key."""

import secrets

import pytest

from tests.lms.test_settings import manage

PRODUCTION = {"SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "learn.example.org"}


def test_production_refuses_to_start_without_the_encryption_keys():
    result = manage("check", **PRODUCTION, PRACTICE_ENCRYPTION_KEYS="")
    assert result.returncode != 0
    assert "PRACTICE_ENCRYPTION_KEYS must be set in production" in result.stderr


@pytest.mark.parametrize("keys", ["change-me-later", "x" * 44 + ",another-bad-one"])
def test_production_refuses_to_start_with_a_key_that_is_not_a_fernet_key(keys):
    result = manage("check", **PRODUCTION, PRACTICE_ENCRYPTION_KEYS=keys)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "practice.E001" in output
    assert keys.split(",")[0] not in output
