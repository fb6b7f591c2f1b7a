"""The default storage (`STORAGES["default"]`): public uploads in `MEDIA_ROOT`, Wagtail's documents in
`PRIVATE_MEDIA_ROOT/documents/`.

A Wagtail document (a webinar's or a lesson's material) may belong to a restricted page: it reaches a person only
through Wagtail's serve view (`/documents/<id>/<filename>`), which asks `lms.restrictions.document_viewable` and the
collection's privacy first (lms/wagtail_hooks.py). Its file must therefore never sit in `MEDIA_ROOT`, which a web
server or a proxy rule on `/media/` may serve from disk. Wagtail 8 has no setting for the documents' storage (only
a custom document model could give the field one), so this storage sends every name under `documents/` (Wagtail's
`upload_to`) to the private root, and gives those files no URL: `url()` raises NotImplementedError, on which
Wagtail falls back to its serve view. Everything else (images and their renditions) stays in `MEDIA_ROOT` as with
Django's `FileSystemStorage`. The names in the database do not change (`documents/handout.pdf`).
"""

import os
from pathlib import PurePosixPath

from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property

from courses.storage import PrivateFileSystemStorage

DOCUMENTS_FOLDER = "documents"  # wagtail.documents.models.AbstractDocument.file's upload_to


def is_document_name(name) -> bool:
    """Is `name` (a storage name) a Wagtail document's file?"""
    parts = PurePosixPath(os.path.normpath(str(name)).replace(os.sep, "/")).parts
    return bool(parts) and parts[0] == DOCUMENTS_FOLDER


class MediaStorage(FileSystemStorage):
    """`FileSystemStorage` in `MEDIA_ROOT`, except for Wagtail's documents (`documents/...`), which are handed to a
    `PrivateFileSystemStorage` rooted at `PRIVATE_MEDIA_ROOT` (which follows a change of the setting) and have no
    URL."""

    @cached_property
    def documents(self) -> FileSystemStorage:
        return PrivateFileSystemStorage()

    def _storage_of(self, name) -> FileSystemStorage | None:
        return self.documents if name is not None and is_document_name(name) else None

    def path(self, name):
        documents = self._storage_of(name)
        return documents.path(name) if documents else super().path(name)

    def _open(self, name, mode="rb"):
        documents = self._storage_of(name)
        return documents._open(name, mode) if documents else super()._open(name, mode)

    def _save(self, name, content):
        documents = self._storage_of(name)
        return documents._save(name, content) if documents else super()._save(name, content)

    def delete(self, name):
        documents = self._storage_of(name)
        return documents.delete(name) if documents else super().delete(name)

    def url(self, name):
        if self._storage_of(name):
            raise NotImplementedError(f"{name!r} is a document: it has no URL, Wagtail serves it after checking.")
        return super().url(name)
