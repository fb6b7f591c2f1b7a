"""SESSION_ENGINE without Redis: Django's database sessions, read by a written-out query (lms/sessions)."""

from django.contrib.sessions.backends import db

from . import WrittenOutSessionRead


class SessionStore(WrittenOutSessionRead, db.SessionStore):
    pass
