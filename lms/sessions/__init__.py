"""Django's database session stores, with the session read by a written-out query (lms/rows.py).

Every signed-in request reads its session (from the database, or with Redis from the shared cache first); built
with the ORM, that query cost about a quarter of an empty signed-in page's CPU (bench/README.md). Everything
else (saving, expiry, clearing) is Django's."""

from django.utils import timezone

from lms.rows import RowReader


class WrittenOutSessionRead:
    """Replaces `_get_session_from_db` of Django's `db` and `cached_db` stores, with the same result."""

    _read: tuple[RowReader, str] | None = None  # the reader and the query, made on first use

    @classmethod
    def _session_read(cls) -> tuple[RowReader, str]:
        if cls._read is None:
            reader = RowReader(cls.get_model_class())
            quote = reader.connection.ops.quote_name
            cls._read = (reader, reader.select(f"{quote('session_key')} = %s AND {quote('expire_date')} > %s"))
        return cls._read

    def _get_session_from_db(self):
        reader, sql = self._session_read()
        now = reader.connection.ops.adapt_datetimefield_value(timezone.now())
        session = reader.fetch_one(sql, [self.session_key, now])
        if session is None:  # unknown or expired: as Django's store, forget the key so a new one is made on save
            self._session_key = None
        return session
