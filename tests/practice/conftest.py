import pytest

from .factories import make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def private_root(settings, tmp_path):
    """Stored files go to the test's own folder, so that a test can read them from disk."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT
