"""Tests: fast hashing, mail kept in memory, tasks run immediately, rate-limit cache per process."""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {
    "default": {**LOCAL_CACHE, "LOCATION": "default"},  # noqa: F405
    "local": {**LOCAL_CACHE, "LOCATION": "local"},  # noqa: F405
    "pages": {**PAGE_CACHE, "LOCATION": "pages"},  # noqa: F405
}
