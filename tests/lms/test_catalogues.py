"""Every language in settings.LANGUAGES but the source (English) has a complete catalogue in every app: no entry
untranslated, none fuzzy, every plural form filled, and the placeholders of each message kept."""

import re
from pathlib import Path

import pytest
from babel.messages import pofile
from django.conf import settings
from django.utils import translation

from lms.management.commands.compile_translations import catalogue_paths

TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?[a-z]+[^>]*>")
# The apps whose strings are translated (the Makefile's APPS).
APPS = (
    re.search(r"^APPS\s*:=\s*(.+)$", (Path(settings.BASE_DIR) / "Makefile").read_text(), re.MULTILINE).group(1).split()
)


def read(path: Path, language: str):
    with path.open("rb") as handle:
        return pofile.read_po(handle, locale=language)


def test_every_language_but_the_source_has_a_catalogue_in_every_app():
    paths = set(catalogue_paths())
    missing = [
        f"{app}/locale/{language}"
        for app in APPS
        for language in TRANSLATED
        if Path(settings.BASE_DIR, app, "locale", language, "LC_MESSAGES", "django.po") not in paths
    ]
    assert not missing, "no catalogue: " + ", ".join(missing)


@pytest.mark.parametrize("language", TRANSLATED)
def test_catalogues_have_no_untranslated_or_fuzzy_entry(language):
    paths = [p for p in catalogue_paths() if p.parent.parent.name == language]
    assert paths, f"no catalogue for {language}"
    problems = []
    for path in paths:
        catalogue = read(path, language)
        for message in catalogue:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            where = f"{path.relative_to(settings.BASE_DIR)}: {message.id!r}"
            if message.fuzzy or not all(strings):
                problems.append(f"untranslated or fuzzy: {where}")
            if isinstance(message.id, tuple) and len(strings) != catalogue.num_plurals:
                problems.append(f"{len(strings)} plural forms, the header says {catalogue.num_plurals}: {where}")
            sources = message.id if isinstance(message.id, tuple) else (message.id,)
            expected = [sorted(PLACEHOLDER.findall(source)) for source in sources]
            for string in strings:
                if sorted(PLACEHOLDER.findall(string)) not in expected:
                    problems.append(f"placeholders or tags differ: {where} -> {string!r}")
    assert not problems, "\n".join(problems)


def test_ukrainian_plural_forms_follow_the_three_form_rule():
    with translation.override("uk"):
        words = [translation.ngettext("%(n)s lesson", "%(n)s lessons", n) % {"n": n} for n in (1, 3, 5, 11, 21, 22)]
    assert words == ["1 урок", "3 уроки", "5 уроків", "11 уроків", "21 урок", "22 уроки"]
