import pytest

from lms.testing import make_site, make_user


@pytest.fixture
def site(db):
    return make_site()


@pytest.fixture
def editor(client, site):
    """A superuser signed in to the Wagtail admin (the editor who submits and publishes translations)."""
    user = make_user(role="admin")
    client.force_login(user)
    return user
