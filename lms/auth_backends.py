"""The authentication backends, with the signed-in user read by a written-out query (lms/rows.py).

Every signed-in request loads its user through the backend that signed them in; built with the ORM that query
cost about a quarter of an empty signed-in page's CPU (bench/README.md). Authentication itself (passwords,
allauth's e-mail and username logins) is unchanged."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.db import connection

from lms.rows import RowReader

_USER = RowReader(get_user_model())
_BY_PK_SQL = _USER.select(f"{connection.ops.quote_name(_USER.model._meta.pk.column)} = %s")


class WrittenOutUserRead:
    def get_user(self, user_id):
        """As Django's ModelBackend.get_user: the active user with this primary key, or None."""
        user = _USER.fetch_one(_BY_PK_SQL, [user_id])
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(WrittenOutUserRead, DjangoModelBackend):
    pass


class AuthenticationBackend(WrittenOutUserRead, AllauthBackend):
    pass
