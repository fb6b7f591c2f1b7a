"""Tests: fast hashing, mail kept in memory, tasks run immediately, rate-limit cache per process."""

import atexit
import shutil
import tempfile

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ALLOWED_HOSTS = ["*"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = IN_MEMORY_CACHES  # noqa: F405 - even where REDIS_URL is set: tests that need Redis start their own
# Private uploads made by tests go to a folder of their own, removed when the process ends, unless a server under
# test is given one (tests/demo_site.py); tests that look at the files set PRIVATE_MEDIA_ROOT to their tmp_path.
if "PRIVATE_MEDIA_ROOT" not in os.environ:  # noqa: F405
    PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lms-test-private-"))  # noqa: F405
    atexit.register(shutil.rmtree, PRIVATE_MEDIA_ROOT, ignore_errors=True)
