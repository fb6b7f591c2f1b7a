"""A level's texts are translated through wagtail-localize; the level, eligibility and certificates stay one."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from certificates import services
from certificates.models import Level, LevelText
from lms.testing import make_user
from tests.localize import submit, translate, translation_of

from .conftest import GIVEN, make_level, translate_level

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, site):
    admin = make_user(role="admin")
    client.force_login(admin)
    return admin


def test_a_level_keeps_its_default_language_texts_in_a_level_text_for_translators():
    level = make_level(name="Street Lawyer", description="Documents rights violations.")
    source = LevelText.objects.get(level=level)
    assert (source.locale, source.name, source.description) == (
        Locale.get_default(),
        "Street Lawyer",
        level.description,
    )
    level.name = "Street Lawyer (peer)"
    level.save()
    source.refresh_from_db()
    assert source.name == "Street Lawyer (peer)" and LevelText.objects.filter(level=level).count() == 1
    source.name = "Something else"
    with pytest.raises(ValidationError, match="edited on the level itself"):
        source.full_clean()


def test_an_editor_translates_a_level_with_a_po_file_and_its_certificate_prints_it(client, editor, certifier):
    level = make_level(name="Street Lawyer")
    source = LevelText.objects.get(level=level)
    assert submit(client, source, "ru").status_code == 302
    translated = translate(
        client,
        source,
        "ru",
        {"Street Lawyer": "Уличный юрист", "completed the training.": "прошла обучение"},
    )
    assert (translated.name, translated.level_id, translated.locale.language_code) == ("Уличный юрист", level.pk, "ru")
    assert Level.objects.count() == 1  # one level for every language: eligibility and certificates are unchanged
    level = Level.objects.get(pk=level.pk)
    assert level.localized_name("ru") == "Уличный юрист" and level.localized_name("en") == "Street Lawyer"
    holder = make_user(preferred_language="ru")
    certificate = services.certificate_issue(actor=certifier, user=holder, level=level, outside_rules_reason=GIVEN)
    client.force_login(holder)
    assert "Уличный юрист" in client.get(f"/ru/certificates/{certificate.serial}/").content.decode()


def test_a_changed_level_marks_its_translation_out_of_date_until_synced(client, editor):
    from lms.translation_status import is_out_of_date

    level = make_level(name="Street Lawyer")
    source = LevelText.objects.get(level=level)
    submit(client, source, "ru")
    translation = translation_of(source, "ru")
    assert not is_out_of_date(translation.source)
    level.name = "Street Lawyer (peer)"
    level.save()
    assert is_out_of_date(translation.source)
    translation.source.update_from_db()  # "Sync translated snippets" in the admin
    assert not is_out_of_date(translation.source)


def test_only_who_may_certify_a_level_edits_its_texts(client, certifier):
    from django.contrib.auth.models import Group

    level = make_level(name="Certified Trainer", certifier_group=Group.objects.create(name="Senior certifiers"))
    text = translate_level(level, "ru", name="Сертифицированный тренер")
    client.force_login(certifier)
    response = client.get(f"/admin/snippets/certificates/leveltext/edit/{text.pk}/")
    assert response.status_code in (302, 403)
    assert client.get("/admin/snippets/certificates/leveltext/add/").status_code in (302, 403)
