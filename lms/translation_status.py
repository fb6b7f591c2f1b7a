"""Where each translation stands: translated, being translated (some of its strings are not translated yet: a page
submitted for translation is a draft until a translator publishes it), out of date (its source
changed after the last sync), not published, or missing.

wagtail-localize keeps, per translated object, a `TranslationSource` (the source's segments as last extracted,
`last_updated_at`) and one `Translation` per target locale. A source page published, or a snippet saved, after
`last_updated_at` has changes its translations do not have yet: they are out of date until an editor syncs them
("Sync translated pages" / "Sync translated snippets" on the source), docs/translation.md.

`lms` knows no app: courses, webinars and certificates register the kinds of content the status page counts
(`register_kind`, from their `AppConfig.ready`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, Translation, TranslationSource

TRANSLATED, IN_PROGRESS, OUT_OF_DATE, DRAFT, MISSING = "translated", "in_progress", "out_of_date", "draft", "missing"
STATES = (TRANSLATED, IN_PROGRESS, OUT_OF_DATE, DRAFT, MISSING)
STATE_LABELS = {
    TRANSLATED: _("Translated"),
    IN_PROGRESS: _("Being translated"),
    OUT_OF_DATE: _("Out of date"),
    DRAFT: _("Not published"),
    MISSING: _("Missing"),
}
# Items listed by name per locale, kind and state (the counts are always complete): the page stays readable and
# its size bounded on a site with thousands of pages.
LISTED_ITEMS = 50


@dataclass(frozen=True)
class Kind:
    key: str
    label: str  # plural, lazily translated: "Courses"
    model: type
    title_field: str
    order: int


_KINDS: dict[str, Kind] = {}


def register_kind(key: str, *, label, model, title_field: str = "title", order: int = 100) -> None:
    """Count `model` (a page type or a translatable snippet) on the translation status page."""
    _KINDS[key] = Kind(key=key, label=label, model=model, title_field=title_field, order=order)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.order)


def changed_at(instance) -> datetime | None:
    """When the source's content last changed: a page's last publication, a snippet's `updated_at`."""
    if isinstance(instance, Page):
        return instance.last_published_at
    return getattr(instance, "updated_at", None)


def _changed_field(model) -> str:
    return "last_published_at" if issubclass(model, Page) else "updated_at"


def _stale(changed: datetime | None, last_updated_at: datetime) -> bool:
    """The one rule: a source that changed after wagtail-localize last extracted it."""
    return changed is not None and changed > last_updated_at


def is_out_of_date(source) -> bool:
    """Has the source changed since wagtail-localize last extracted it (`TranslationSource.last_updated_at`)?"""
    return _stale(changed_at(source.get_source_instance()), source.last_updated_at)


@dataclass
class Item:
    """One object (all its language versions share `translation_key`) as it stands in one locale."""

    title: str
    edit_url: str  # the version the editor starts from: the source of its translations, or the first one
    sync_url: str = ""  # "Sync translated ..." of the source, for an out-of-date translation


@dataclass
class KindStatus:
    kind: Kind
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    items: dict[str, list[Item]] = field(default_factory=lambda: {state: [] for state in STATES})

    def add(self, state: str, item: Item) -> None:
        self.counts[state] += 1
        if state != TRANSLATED and len(self.items[state]) < LISTED_ITEMS:
            self.items[state].append(item)

    def by_state(self) -> list[tuple[str, str, int, list[Item]]]:
        """(state, its label, count, items listed) in the order of STATES, for the page."""
        return [(state, STATE_LABELS[state], self.counts[state], self.items[state]) for state in STATES]


@dataclass
class LocaleStatus:
    locale: Locale
    kinds: list[KindStatus]


def _edit_url(model, pk: int) -> str:
    if issubclass(model, Page):
        return reverse("wagtailadmin_pages:edit", args=[pk])
    meta = model._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:edit", args=[pk])


def _incomplete(translations: set[tuple[int, int]], content_types) -> set[tuple[int, int]]:
    """Which of the (source, target locale) translations still lack some of their source's strings, in 2 queries
    (wagtail-localize's `Translation.get_progress` asks 1 per translation)."""
    segments = StringSegment.objects.filter(source__specific_content_type__in=content_types)
    totals = dict(segments.values_list("source_id").annotate(total=Count("pk")).order_by())
    translated = (
        segments.filter(string__translations__context_id=F("context_id"), string__translations__has_error=False)
        .values_list("source_id", "string__translations__locale_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    done = {(source_id, locale_id): count for source_id, locale_id, count in translated}
    return {pair for pair in translations if done.get(pair, 0) < totals.get(pair[0], 0)}


def status_by_locale() -> list[LocaleStatus]:
    """Every registered kind in every locale, in 5 queries plus one per kind, whatever the number of objects.

    Pages count when some language version of them is live; a version that exists but is not live is not
    published. Versions written in a language (not translated into it) count as translated. An item being
    translated links to its translation (the segment editor), the others to the source."""
    locales = list(Locale.objects.order_by("pk"))
    kind_list = kinds()
    content_types = ContentType.objects.get_for_models(*(kind.model for kind in kind_list))  # cached after once
    sources = {
        (row["specific_content_type_id"], row["object_id"]): row
        for row in TranslationSource.objects.filter(specific_content_type__in=content_types.values()).values(
            "pk", "specific_content_type_id", "object_id", "locale_id", "last_updated_at"
        )
    }
    translated_into = set(
        Translation.objects.filter(source__specific_content_type__in=content_types.values()).values_list(
            "source_id", "target_locale_id"
        )
    )
    incomplete = _incomplete(translated_into, content_types.values())
    result = {locale.pk: LocaleStatus(locale=locale, kinds=[]) for locale in locales}
    for kind in kind_list:
        model = kind.model
        is_page = issubclass(model, Page)
        columns = ["pk", "translation_key", "locale_id", kind.title_field, _changed_field(model)]
        rows = model.objects.values(*columns, *(["live"] if is_page else []))
        versions = defaultdict(dict)  # translation_key -> locale pk -> row
        for row in rows:
            versions[row["translation_key"]][row["locale_id"]] = row
        content_type_id = content_types[model].pk
        statuses = {locale.pk: KindStatus(kind=kind) for locale in locales}
        for key, by_locale in versions.items():
            if is_page and not any(row["live"] for row in by_locale.values()):
                continue
            source = sources.get((content_type_id, key))
            source_row = by_locale.get(source["locale_id"]) if source else None
            origin = source_row or min(by_locale.values(), key=lambda row: row["pk"])
            item = Item(title=origin[kind.title_field], edit_url=_edit_url(model, origin["pk"]))
            stale = source_row is not None and _stale(source_row[_changed_field(model)], source["last_updated_at"])
            for locale_pk, status in statuses.items():
                row = by_locale.get(locale_pk)
                if row is None:
                    status.add(MISSING, item)
                elif stale and (source["pk"], locale_pk) in translated_into:
                    sync_url = reverse("wagtail_localize:update_translations", args=[source["pk"]])
                    status.add(OUT_OF_DATE, Item(title=item.title, edit_url=item.edit_url, sync_url=sync_url))
                elif source and (source["pk"], locale_pk) in incomplete:
                    status.add(IN_PROGRESS, Item(title=item.title, edit_url=_edit_url(model, row["pk"])))
                elif is_page and not row["live"]:
                    status.add(DRAFT, item)
                else:
                    status.add(TRANSLATED, item)
        for locale_pk, status in statuses.items():
            result[locale_pk].kinds.append(status)
    return list(result.values())
