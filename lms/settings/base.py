"""Settings shared by every environment. Everything secret or host-specific comes from the environment."""

import os
from pathlib import Path

import dj_database_url

from courses.filetypes import CONTENT_TYPES

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable ("1", "true", "yes" and "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable into a list without blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "daphne",
    # Project apps first so that their templates override the libraries'.
    "lms",
    "frontend",
    "courses",
    "webinars",
    "practice",
    "certificates",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # wagtail-localize: translation workflow (segments, PO files, sync); its locales app replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Files
    "filer",
    "easy_thumbnails",
    # Realtime, background jobs, security headers
    "channels",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "lms.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.middleware.StaffTwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.middleware.SecurityHeadersMiddleware",
    "lms.middleware.AdminAwareCSPMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.PageLanguageFallbackMiddleware",
]

ROOT_URLCONF = "lms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.site_context",
            ],
        },
    },
]

WSGI_APPLICATION = "lms.wsgi.application"
ASGI_APPLICATION = "lms.asgi.application"

# SQLite by default (nothing to install); DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the ASGI server read while a request writes; the timeout absorbs short write bursts.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "lms.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Django's and allauth's backends, the signed-in user read with a written-out query (lms/auth_backends.py)
    "lms.auth_backends.ModelBackend",
    "lms.auth_backends.AuthenticationBackend",
]

# Channels: the in-memory layer by default; REDIS_URL switches to Redis so several workers share rooms.
REDIS_URL = os.environ.get("REDIS_URL", "")
# The live room sends one layer message per server process (webinars/hub.py), so the layer carries little; the
# prefix keeps separate deployments (and parallel test runs) on one Redis apart. CHANNEL_LAYER=pubsub selects
# channels_redis' pub/sub layer instead (see docs/webinars.md for the measured comparison).
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": {
                "core": "channels_redis.core.RedisChannelLayer",
                "pubsub": "channels_redis.pubsub.RedisPubSubChannelLayer",
            }[os.environ.get("CHANNEL_LAYER", "core")],
            "CONFIG": {
                # redis-py 8 times sockets out after 5 s, exactly channels_redis' blocking-pop timeout: a message
                # popped in that race is lost. A longer socket timeout removes the race.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                "capacity": 1500,
                "expiry": 30,
                "prefix": os.environ.get("CHANNEL_LAYER_PREFIX", "asgi"),
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer", "CONFIG": {"capacity": 1500}}}
# Seconds between two re-checks of a live-room socket's role on fresh data (webinars/hub.py, docs/webinars.md).
WEBINARS_ROLE_CHECK_SECONDS = int(os.environ.get("WEBINARS_ROLE_CHECK_SECONDS", "30"))

# Background jobs through Django's tasks API; immediate unless production picks the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Internationalisation: the one list of languages (pages, catalogues, content trees, stored choices). Adding a
# language is a line here plus its catalogues (docs/translation.md, "Adding a language").
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("uk", "Українська")]
WAGTAIL_I18N_ENABLED = True
# A page submitted for translation starts as a draft in the new language (wagtail-localize would publish the
# untranslated copy at once): until a translator publishes it, readers of that language get the page in another
# language they read, with a notice (lms.middleware.PageLanguageFallbackMiddleware), not English posing as theirs.
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Private uploads (assignment files, the material library) have their own root, outside MEDIA_ROOT and STATIC_ROOT
# (a system check in lms/checks.py refuses an overlap in production): whatever serves /media/ from disk can never
# reach them. They are served only through views that check access, never from a URL of their own.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
STORAGES = {
    # MEDIA_ROOT, except Wagtail's documents: PRIVATE_MEDIA_ROOT/documents/, no URL (lms/storage.py).
    "default": {"BACKEND": "lms.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Assignment submissions (courses.storage): rooted at PRIVATE_MEDIA_ROOT, no URL.
    "private": {"BACKEND": "courses.storage.PrivateFileSystemStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o640

# Email is optional for users; console output in development.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Community Learning <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# django-allauth: username or email login, email optional, verification mail only when one is given.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
ACCOUNT_ADAPTER = "lms.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    # allauth's defaults, written out so that they are visible and testable.
    "login_failed": "10/m/ip,5/5m/key",
    "login": "30/m/ip",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Community Learning"
LOGIN_REDIRECT_URL = "dashboard"
LOGIN_URL = "account_login"

# Staff (trainers, certifiers, superusers) must have TOTP before they use the admin; on in production.
LMS_REQUIRE_STAFF_MFA = env_bool("LMS_REQUIRE_STAFF_MFA", False)

# Caches hold sessions and rate-limit counters; Redis when configured so every worker shares them (django-redis,
# lms/caching/backends.py). While Redis is unreachable the cache misses instead of failing the request
# (IGNORE_EXCEPTIONS, logged as "Exception ignored"), and gives up on it within a second.
# "local" is each process's own: the site's structure and rendered fragments read on every page, kept under a
# generation token that lives in the default cache (lms/caching). Django's default of 300 entries is too few
# for a locmem cache (lesson blocks and verification pages would push each other out); 10,000 small entries stay
# within tens of megabytes.
LOCAL_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 10_000}}
# "pages" is each process's own too: the lesson pages learners opened (courses/pagecache.py), 20-40 KB each, and
# the verification pages of certificates checked (certificates/pagecache.py), about 9 KB; so fewer of them (1,000
# pages: tens of megabytes at most).
PAGE_CACHE = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 1_000}}
PROCESS_CACHES = {"local": {**LOCAL_CACHE, "LOCATION": "local"}, "pages": {**PAGE_CACHE, "LOCATION": "pages"}}
IN_MEMORY_CACHES = {"default": {**LOCAL_CACHE, "LOCATION": "default"}, **PROCESS_CACHES}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True  # an outage shows in the log, not in the pages
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "lms.caching.backends.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
            # Sites (or test servers) sharing one Redis database keep apart: rate limits count per user id and
            # per address, and the same ids exist on every site.
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", ""),
        },
        **PROCESS_CACHES,
    }
    # Sessions are read on every request: cached in the shared cache, written through to the database. Not with a
    # per-process cache: a sign-out in one worker would leave the session alive in the others' copies.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = IN_MEMORY_CACHES
    SESSION_ENGINE = "lms.sessions"  # Django's database sessions, read with a written-out query

# Wagtail
WAGTAIL_SITE_NAME = "Community Learning"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_URL = WAGTAILADMIN_BASE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
# Documents are always served by Wagtail's view, which asks the view restrictions of the pages using them and the
# collection's privacy (lms/wagtail_hooks.py); never a direct link or a redirect to the file.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILEMBEDS_FINDERS = []  # nothing is fetched from oEmbed providers; videos are click-to-load links
WAGTAIL_ENABLE_UPDATE_CHECK = False  # the admin must not call out to wagtail.org
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# django-filer: the material library. Files are private by default and served through access-checking views.
FILER_ENABLE_PERMISSIONS = False
FILER_IS_PUBLIC_DEFAULT = False
FILER_CANONICAL_URL = "library/"
# Library uploads: the assignments' allow-list, checked on content (courses.library); filer itself denies HTML
# and sanitises SVG, and nothing else gets in.
LIBRARY_MIME_TYPES = CONTENT_TYPES
FILER_MIME_TYPE_WHITELIST = LIBRARY_MIME_TYPES
FILER_ADD_FILE_VALIDATORS = {mime_type: ["courses.library.content_matches_type"] for mime_type in LIBRARY_MIME_TYPES}
FILER_STORAGES = {
    "public": {
        "main": {
            "ENGINE": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(MEDIA_ROOT / "filer_public"), "base_url": "/media/filer_public/"},
            "UPLOAD_TO": "filer.utils.generate_filename.randomized",
        },
        "thumbnails": {
            "ENGINE": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {
                "location": str(MEDIA_ROOT / "filer_public_thumbnails"),
                "base_url": "/media/filer_public_thumbnails/",
            },
        },
    },
    "private": {
        # Never under MEDIA_URL: private files are served by views that check access.
        "main": {
            "ENGINE": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT / "filer"), "base_url": "/library/"},
            "UPLOAD_TO": "filer.utils.generate_filename.randomized",
        },
        "thumbnails": {
            "ENGINE": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT / "filer_thumbnails"), "base_url": "/library/thumbs/"},
        },
    },
}
THUMBNAIL_HIGH_RESOLUTION = False

# Content Security Policy: same origin only, no inline script or style on the site's pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail and Django admins ship inline scripts and styles; only their URLs get this wider policy.
LMS_ADMIN_CSP_PREFIXES = ("/admin/", "/django-admin/")
LMS_ADMIN_CSP_DIRECTIVES = {
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'"],
    "frame-ancestors": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
LMS_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Field practice (docs/practice.md). Record text, file names and files are encrypted with these Fernet keys
# (comma-separated; the first encrypts, all decrypt: put a new key first, run `manage.py practice_rotate_keys`, then
# drop the old one). Development and tests derive one from SECRET_KEY; production refuses to start without them.
PRACTICE_ENCRYPTION_KEYS = env_list("PRACTICE_ENCRYPTION_KEYS")
# Months after acceptance when a record's text and files are erased (`manage.py practice_erase_expired`, daily).
PRACTICE_RETENTION_MONTHS = int(os.environ.get("PRACTICE_RETENTION_MONTHS", "12"))
PRACTICE_MAX_UPLOAD_BYTES = int(os.environ.get("PRACTICE_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
PRACTICE_MAX_ATTACHMENTS = int(os.environ.get("PRACTICE_MAX_ATTACHMENTS", "5"))
