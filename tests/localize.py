"""Translating through wagtail-localize's admin views, as an editor does: submit for translation (with the page's
subtree), download the PO file, fill it in, upload it, publish. Tests use it so that translated pages and level
texts come from the real workflow, not from copies made by hand."""

import io

import polib
from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation, TranslationSource


def _post(client, url: str, data: dict):
    """POST as the browser does, then run what the view left for its transaction's commit: wagtail-localize
    publishes translated pages on commit, which a test's own transaction never reaches."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def locale(language: str) -> Locale:
    return Locale.objects.get_or_create(language_code=language)[0]


def submit(client, instance, language: str, *, subtree: bool = False):
    """Submit `instance` (a page or a translatable snippet) for translation into `language`; returns the
    response of wagtail-localize's submit view."""
    if isinstance(instance, Page):
        url = f"/admin/localize/submit/page/{instance.pk}/"
    else:
        meta = instance._meta
        url = f"/admin/localize/submit/snippet/{meta.app_label}/{meta.model_name}/{instance.pk}/"
    data = {"locales": [locale(language).pk]}
    if subtree:
        data["include_subtree"] = "on"
    return _post(client, url, data)


def translation_of(instance, language: str) -> Translation:
    """The wagtail-localize Translation of `instance` (the source) into `language`."""
    model = instance.specific_class if isinstance(instance, Page) else type(instance)
    content_type = ContentType.objects.get_for_model(model)
    source = TranslationSource.objects.get(
        object_id=instance.translation_key, specific_content_type=content_type, locale=instance.locale
    )
    return Translation.objects.get(source=source, target_locale=locale(language))


def po_entries(client, translation: Translation) -> polib.POFile:
    """The PO file the admin's "Download PO file" gives."""
    response = client.get(f"/admin/localize/translate/{translation.pk}/pofile/download/")
    assert response.status_code == 200, response.status_code
    return polib.pofile(response.content.decode())


def upload_po(client, translation: Translation, strings: dict[str, str], *, default: str | None = None):
    """Fill the downloaded PO file (`strings` by source text; others get `default` before their source
    text if given, the slug its source text) and upload it."""
    po = po_entries(client, translation)
    for entry in po:
        if entry.msgid in strings:
            entry.msgstr = strings[entry.msgid]
        elif default is not None:  # a slug takes no spaces: it stays the source's
            entry.msgstr = entry.msgid if entry.msgctxt == "slug" else f"{default} {entry.msgid}"
    upload = io.BytesIO(str(po).encode())
    upload.name = "translation.po"
    return _post(
        client, f"/admin/localize/translate/{translation.pk}/pofile/upload/", {"file": upload, "next": "/admin/"}
    )


def publish(client, translated_instance):
    """Press "Publish" in wagtail-localize's translation editor of the translated page or snippet."""
    if isinstance(translated_instance, Page):
        url = f"/admin/pages/{translated_instance.pk}/edit/"
    else:
        meta = translated_instance._meta
        url = f"/admin/snippets/{meta.app_label}/{meta.model_name}/edit/{translated_instance.pk}/"
    return _post(client, url, {"action": "publish"})


def translate(client, instance, language: str, strings: dict[str, str], *, default: str | None = None):
    """The whole workflow for one object already submitted: PO upload, then publish; returns the translation."""
    translated = instance.get_translation(locale(language))
    translation = translation_of(instance, language)
    upload_po(client, translation, strings, default=default)
    publish(client, translated)
    return type(translated).objects.get(pk=translated.pk)


def sync(client, instance, *, publish: bool = False):
    """Press "Sync translated pages" (or snippets) on the source `instance`, optionally "Publish immediately"."""
    source = translation_of(instance, next(iter(_target_languages(instance)))).source
    return _post(client, f"/admin/localize/update/{source.pk}/", {"publish_translations": "on"} if publish else {})


def _target_languages(instance):
    source = TranslationSource.objects.get(object_id=instance.translation_key, locale=instance.locale)
    return source.translations.values_list("target_locale__language_code", flat=True)
