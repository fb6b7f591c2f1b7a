# ruff: noqa: RUF001 - the Russian texts use Cyrillic letters, which ruff takes for look-alikes
"""Field practice in the browser. A trainee documents a case on a phone in Russian: the draft saves itself as she
types and survives a reload, a photo's location data never reaches the stored copy, and the record cannot be
submitted without the person's consent. The trainer returns it with a comment, she changes it and submits it again,
the trainer accepts it, and it counts on her progression page. A certifier sees counts only, the small ones as
"<5", on the page and in its CSV. Without JavaScript, the form still saves a draft and submits it."""

import csv
import io
import re

from PIL import Image
from playwright.sync_api import expect

from tests.practice.factories import jpeg_with_gps

from .conftest import log_in

CITY = "Шымкент"
NARRATIVE = "Участковый остановил клиента у пункта обмена шприцев и забрал его рецепт на метадон."
REFERRAL = "Клиента направили к юристу программы."
COMMENT = "Опишите, какая помощь была предложена клиенту после изъятия рецепта."
RECORD_PATH = re.compile(r"/ru/practice/cases/(\d+)/$")


def street_lawyer_practice_count(page) -> int:
    """How many accepted case records the progression page counts toward the street-lawyer level (of 3)."""
    page.goto("/ru/certificates/")
    level = page.locator(".ladder-details", has_text="Уличный юрист")
    level.locator("summary").click()
    requirement = level.locator(".checklist-item", has=page.locator("progress[max='3']"))
    expect(requirement).to_have_count(1)
    return int(requirement.locator("progress").get_attribute("value"))


def review(page, decision: str, comment: str = "") -> None:
    page.goto("/practice/review/")
    page.locator(".card", has_text=CITY).get_by_role("link").first.click()
    page.locator(f"input[name=decision][value={decision}]").check()
    page.fill("textarea[name=comment]", comment)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/practice/review/")
    expect(page.locator(".card", has_text=CITY)).to_have_count(0)


def test_trainee_records_a_case_on_a_phone_the_trainer_returns_then_accepts_it_and_it_counts(new_context):
    trainee = new_context(locale="ru-RU").new_page()
    log_in(trainee, "learner", prefix="/ru")
    counted_before = street_lawyer_practice_count(trainee)

    trainee.goto("/ru/practice/")
    trainee.locator("main a[href$='/cases/new/']").first.click()
    expect(trainee.locator("h1")).to_have_text("Новая запись о случае")
    form = trainee.locator("form.record-form")
    form.locator("[name=incident_date]").fill("2026-11-30")
    form.locator("[name=country]").select_option("KZ")
    form.locator("[name=city]").fill(CITY)
    form.locator("[name=violation_type]").select_option("police_violence")
    form.locator("[name=actor_kind]").select_option("police")
    form.locator("[name=narrative]").fill(NARRATIVE)
    # Nobody pressed a button: a few seconds after the last keystroke the draft is saved and the address is its own.
    expect(trainee).to_have_url(RECORD_PATH, timeout=15_000)
    expect(form.locator("[data-autosave-status]")).not_to_be_empty()
    assert trainee.evaluate("document.documentElement.scrollWidth") <= 360

    trainee.reload()
    expect(form.locator("[name=narrative]")).to_have_value(NARRATIVE)
    expect(form.locator("[name=city]")).to_have_value(CITY)

    # Submitting without the person's consent keeps a draft (with the photo) and says what is missing.
    form.locator("input[type=file]").set_input_files(
        {"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps().read()}
    )
    form.locator("button[name=submit]").click()
    trainee.wait_for_load_state()
    consent = form.locator(".field", has=trainee.locator("[name=consent_given]"))
    expect(consent.locator(".errorlist")).to_be_visible()
    photo = trainee.request.get(form.locator("a[href*='/practice/files/']").get_attribute("href"))
    assert photo.ok and "no-store" in photo.headers["cache-control"]
    picture = Image.open(io.BytesIO(photo.body()))
    assert picture.size == (64, 48) and not picture.getexif()
    assert b"PhoneMaker" not in photo.body() and b"Secretauthor" not in photo.body()

    form.locator("[name=consent_given]").check()
    form.locator("button[name=submit]").click()
    trainee.wait_for_url("**/ru/practice/")

    trainer = new_context(width=1280).new_page()
    log_in(trainer, "trainer")
    review(trainer, "return", COMMENT)

    trainee.locator("main .card", has_text=CITY).get_by_role("link").click()
    expect(trainee.locator(".callout-warning")).to_contain_text(COMMENT)
    assert RECORD_PATH.search(trainee.url)
    form.locator("[name=referral_note]").fill(REFERRAL)
    form.locator("button[name=submit]").click()
    trainee.wait_for_url("**/ru/practice/")
    assert street_lawyer_practice_count(trainee) == counted_before

    review(trainer, "accept")
    assert street_lawyer_practice_count(trainee) == counted_before + 1


def test_a_certifier_sees_counts_with_small_ones_suppressed_and_downloads_them(new_context):
    page = new_context().new_page()
    log_in(page, "certifier")
    page.goto("/practice/aggregates/")
    counts = page.locator("main table tbody td:nth-child(2)").all_inner_texts()
    assert "<5" in counts
    assert not [count for count in counts if count.isdigit() and int(count) < 5]
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    with page.expect_download() as download:
        page.locator("a[href$='/practice/aggregates.csv']").click()
    rows = csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig")))
    counts_in_file = [row["count"] for row in rows]
    assert "<5" in counts_in_file
    assert not [count for count in counts_in_file if count.isdigit() and int(count) < 5]


def test_a_case_is_saved_and_submitted_without_javascript(new_context):
    page = new_context(javascript=False).new_page()
    log_in(page, "streetlawyer")
    page.goto("/practice/")
    page.locator("main a[href$='/cases/new/']").first.click()
    form = page.locator("form.record-form")
    form.locator("[name=incident_date]").fill("2026-12-01")
    form.locator("[name=country]").select_option("KZ")
    form.locator("[name=city]").fill("Kostanay")
    form.locator("[name=violation_type]").select_option("extortion")
    form.locator("[name=actor_kind]").select_option("police")
    form.locator("[name=narrative]").fill("An officer demanded money to return a client's passport.")
    form.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r"/practice/cases/\d+/$"))
    expect(form.locator("[name=city]")).to_have_value("Kostanay")

    form.locator("[name=consent_given]").check()
    form.locator("button[name=submit]").click()
    page.wait_for_url("**/practice/")
    expect(page.locator("main .card", has_text="Kostanay")).to_contain_text("Waiting for review")
