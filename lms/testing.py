"""Small factories for tests in every app: build data through the services, not through fixtures."""

import itertools

from . import roles
from .demo import ensure_home_pages
from .services import user_create

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_user(*, role: str | None = None, username: str | None = None, password: str = PASSWORD, **fields):
    """A learner by default; `role` adds Trainers or Certifiers; role="admin" makes a superuser."""
    user = user_create(username=username or f"user{next(_counter)}", password=password, **fields)
    if role == "admin":
        user.is_superuser = user.is_staff = True
        user.save(update_fields=["is_superuser", "is_staff"])
    elif role and role != roles.LEARNERS:
        roles.grant_role(user, role)
    return user


def make_site() -> dict:
    """The home page tree in every language (the default site's root); returns the home pages by language."""
    return ensure_home_pages()
