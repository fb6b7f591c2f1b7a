"""SESSION_ENGINE with Redis: Django's cached database sessions, read from the database (on a cache miss) by a
written-out query (lms/sessions)."""

from django.contrib.sessions.backends import cached_db

from . import WrittenOutSessionRead


class SessionStore(WrittenOutSessionRead, cached_db.SessionStore):
    pass
