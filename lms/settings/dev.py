"""Development: DEBUG on, a fixed insecure key, everything embedded (SQLite, in-memory layer, console mail)."""

from .base import *  # noqa: F403
from .base import env_list

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-never-use-in-production"  # noqa: F405
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

# Serve static files straight from the apps (no collectstatic needed for `make run`).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

if not PRACTICE_ENCRYPTION_KEYS:  # noqa: F405 - production sets its own (production.py refuses to start without)
    from practice.keys import derive_key

    PRACTICE_ENCRYPTION_KEYS = [derive_key(SECRET_KEY)]
