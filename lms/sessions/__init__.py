"""Django's database session stores, with the session read by a written-out query (lms/rows.py).

Every signed-in request reads its session (from the database, or with Redis from the shared cache first); built
with the ORM, that query cost about a quarter of an empty signed-in page's CPU (bench/README.md). Everything
else (saving, expiry, clearing) is Django's."""

from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from lms.rows import RowReader

_SESSION = RowReader(Session)
_quote = connection.ops.quote_name
_BY_KEY_SQL = _SESSION.select(f"{_quote('session_key')} = %s AND {_quote('expire_date')} > %s")


class WrittenOutSessionRead:
    """Replaces `_get_session_from_db` of Django's `db` and `cached_db` stores, with the same result."""

    def _get_session_from_db(self):
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        session = _SESSION.fetch_one(_BY_KEY_SQL, [self.session_key, now])
        if session is None:  # unknown or expired: as Django's store, forget the key so a new one is made on save
            self._session_key = None
        return session
