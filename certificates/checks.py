"""System checks: production must have a usable signing key, or the server refuses to start."""

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

PRODUCTION_SETTINGS = "lms.settings.production"


@register("certificates", deploy=False)
def check_signing_key(app_configs=None, **kwargs):
    from . import signing

    production = getattr(settings, "SETTINGS_MODULE", "") == PRODUCTION_SETTINGS
    if signing.key_source() is None:
        if production:
            return [
                Error(
                    "No certificate signing key is configured.",
                    hint="Set CERTIFICATES_SIGNING_KEY (PEM or base64 Ed25519 seed) or CERTIFICATES_SIGNING_KEY_FILE "
                    "to a file outside the repository. Generate one with: "
                    'python -c "from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as K; '
                    'from certificates.signing import private_key_pem; print(private_key_pem(K.generate()).decode())"',
                    id="certificates.E001",
                )
            ]
        return []
    try:
        signing.signing_key()
    except (ImproperlyConfigured, OSError, ValueError) as error:
        return [Error(f"The certificate signing key cannot be used: {error}", id="certificates.E002")]
    return []
