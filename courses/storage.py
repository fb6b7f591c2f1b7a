"""Where private uploads live: their own folder, `PRIVATE_MEDIA_ROOT`, outside `MEDIA_ROOT` and `STATIC_ROOT`.

Files in `MEDIA_ROOT` are public by design (the web server or a proxy may serve `/media/` straight from disk);
a learner's assignment must never be one proxy rule away from that. Private files are read only by the views
that check access (courses.views), so this storage has no URL at all. `lms.checks` refuses a configuration in
which the folders overlap.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.utils.functional import cached_property

PRIVATE_STORAGE = "private"  # its name in settings.STORAGES


class PrivateFileSystemStorage(FileSystemStorage):
    """`FileSystemStorage` rooted at `settings.PRIVATE_MEDIA_ROOT` (read when first used, and again when a test
    changes the setting), with no URL: a private file reaches a person only through a view that checks access."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise ValueError(f"{name!r} is a private file: it has no URL, serve it through a view that checks access.")


def private_storage():
    """The storage of private uploads (a callable, so that `STORAGES["private"]` can be changed per deployment
    without a migration)."""
    return storages[PRIVATE_STORAGE]
