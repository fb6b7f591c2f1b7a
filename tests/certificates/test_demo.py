"""The demo ladder speaks every language its texts are written in, and reloading it adds a missing one."""

import pytest
from django.utils import translation

from certificates.demo import LADDER, ensure_ladder
from certificates.models import LevelText

pytestmark = pytest.mark.django_db


def test_demo_ladder_has_russian_and_ukrainian_names_and_reloads_without_duplicates():
    levels = ensure_ladder()
    ensure_ladder()
    assert LevelText.objects.count() == 3 * len(LADDER)  # en (the source), ru, uk
    trainer = levels["certified-trainer"]
    assert trainer.localized_name("uk") == "Сертифікований тренер"
    assert trainer.localized_name("ru") == "Сертифицированный тренер"
    with translation.override("uk"):
        assert levels["street-lawyer"].localized_name() == "Вуличний юрист"


def test_reloading_an_older_demo_ladder_adds_the_ukrainian_texts():
    levels = ensure_ladder()
    LevelText.objects.filter(locale__language_code="uk").delete()
    ensure_ladder()
    assert levels["co-trainer"].localized_name("uk") == "Співтренер"
    assert LevelText.objects.filter(locale__language_code="uk").count() == len(LADDER)
