"""System checks: a site whose encryption keys cannot be used refuses to start, instead of failing on the first
trainee's draft (whose typed text would then be lost)."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register("practice")
def check_encryption_keys(app_configs=None, **kwargs):
    from . import crypto

    try:
        crypto.fernet()
    except ImproperlyConfigured as error:
        # The message is crypto's, which never repeats a key.
        return [Error(str(error), hint="docs/practice.md, “Encryption and key rotation”.", id="practice.E001")]
    return []
