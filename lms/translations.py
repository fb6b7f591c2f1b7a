"""Translations made outside wagtail-localize (by code, as the demo makes them), recorded in it as if a translator
had typed them.

wagtail-localize translates what a submitted page refers to along with it (a course's track): it writes each
segment's recorded translation into that object's version in the language, and the source's words where it has
none. A version made by code has no recorded translations, so submitting a course would write English over the
demo's Ukrainian track. Recording the versions' texts first keeps them (tests/translation/test_recorded.py).
"""

from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource
from wagtail_localize.strings import StringValue


def record_existing_translations(source) -> int:
    """Record each other-language version's text of `source` (a translatable snippet: plain text fields) as the
    translation of the source's segment for that field; returns how many were recorded."""
    translation_source, _created = TranslationSource.get_or_create_from_instance(source)
    segments = list(StringSegment.objects.filter(source=translation_source).select_related("string", "context"))
    recorded = 0
    for version in source.get_translations().select_related("locale"):
        for segment in segments:
            value = getattr(version, segment.context.path, None)
            if not isinstance(value, str) or not value:
                continue
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=version.locale,
                context=segment.context,
                defaults={
                    "data": StringValue.from_plaintext(value).data,
                    "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
                },
            )
            recorded += 1
    return recorded
