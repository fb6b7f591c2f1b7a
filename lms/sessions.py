"""SESSION_ENGINE without Redis: Django's database sessions, with the session read by a written-out query.

Every signed-in request reads its session. Built with the ORM, that read cost 0.4 ms of CPU more per request
than this query (docs/architecture.md, "Reads written out in SQL"): a third of a signed-in empty page. With Redis
the sessions are Django's own `cached_db`: the session is read from Redis, and the database only on a miss, so
there the written-out read made no measurable difference. Everything else (saving, expiry, clearing) is Django's.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from lms.rows import RowReader

_SESSION = RowReader(Session)
_quote = connection.ops.quote_name
_BY_KEY_SQL = _SESSION.select(f"{_quote('session_key')} = %s AND {_quote('expire_date')} > %s")


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """Django's read, with the same result."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        session = _SESSION.fetch_one(_BY_KEY_SQL, [self.session_key, now])
        if session is None:  # unknown or expired: as Django's store, forget the key so a new one is made on save
            self._session_key = None
        return session
