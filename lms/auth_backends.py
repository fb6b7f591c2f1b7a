"""The authentication backends, with the signed-in user read by a written-out query (lms/rows.py).

Every signed-in request loads its user through the backend that signed them in; built with the ORM that query
cost about a quarter of an empty signed-in page's CPU (bench/README.md). Authentication itself (passwords,
allauth's e-mail and username logins) is unchanged."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from lms.rows import RowReader

_read = None  # (reader, query), made on first use


def _user_by_pk(user_id):
    global _read
    if _read is None:
        reader = RowReader(get_user_model())
        _read = (reader, reader.select(f"{reader.connection.ops.quote_name(reader.model._meta.pk.column)} = %s"))
    reader, sql = _read
    return reader.fetch_one(sql, [user_id])


class WrittenOutUserRead:
    def get_user(self, user_id):
        """As Django's ModelBackend.get_user: the active user with this primary key, or None."""
        user = _user_by_pk(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(WrittenOutUserRead, DjangoModelBackend):
    pass


class AuthenticationBackend(WrittenOutUserRead, AllauthBackend):
    pass
