"""Where each translation stands: translated, out of date (its source changed after the last sync) or missing.

wagtail-localize keeps, per translated object, a `TranslationSource` (the source's segments as last extracted,
`last_updated_at`) and one `Translation` per target locale. A source page published, or a snippet saved, after
`last_updated_at` has changes its translations do not have yet: they are out of date until an editor syncs them
("Sync translated pages" / "Sync translated snippets" on the source), docs/translation.md.
"""

from datetime import datetime

from wagtail.models import Page


def changed_at(instance) -> datetime | None:
    """When the source's content last changed: a page's last publication, a snippet's `updated_at`."""
    if isinstance(instance, Page):
        return instance.last_published_at
    return getattr(instance, "updated_at", None)


def is_out_of_date(source) -> bool:
    """Has the source changed since wagtail-localize last extracted it (`TranslationSource.last_updated_at`)?"""
    changed = changed_at(source.get_source_instance())
    return changed is not None and changed > source.last_updated_at
