"""A newcomer joins in Russian without an email, downloads their data, deletes the account, and can no longer
log in: the privacy promises, clicked through in a real browser."""

import json

from .conftest import log_in

PASSWORD = "очень-длинный-пароль-42"


def test_newcomer_signs_up_without_email_exports_and_deletes_their_account(new_context):
    page = new_context(locale="ru-RU").new_page()
    page.goto("/ru/")
    page.get_by_role("link", name="Регистрация").first.click()
    page.fill("input[name=username]", "novichok")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Зарегистрируйтесь").click()
    page.wait_for_url("**/ru/dashboard/")
    assert page.get_by_role("heading", name="Здравствуйте, novichok").is_visible()

    page.goto("/ru/account/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать мои данные").first.click()
    data = json.loads(download_info.value.path().read_text())
    assert data["account"]["username"] == "novichok"
    assert data["account"]["email"] == ""
    assert data["account"]["preferred_language"] == "ru"

    page.get_by_role("link", name="Удалить мой аккаунт").first.click()
    page.fill("input[name=password]", "не-тот-пароль")
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Удалить аккаунт навсегда").click()
    assert page.get_by_text("Неверный пароль.").is_visible()

    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Удалить аккаунт навсегда").click()
    assert page.get_by_text("Ваш аккаунт и ваши данные удалены.").is_visible()

    log_in_page = page.context.new_page()
    log_in_page.goto("/ru/accounts/login/")
    log_in_page.fill("input[name=login]", "novichok")
    log_in_page.fill("input[name=password]", PASSWORD)
    log_in_page.click("main form button[type=submit]")
    assert "/accounts/login/" in log_in_page.url
    assert log_in_page.locator(".errorlist, [role=alert], .messages").first.is_visible()


def test_demo_learner_logs_in_and_reaches_the_dashboard_at_360px(new_context):
    page = new_context().new_page()
    log_in(page, "learner")
    assert page.url.endswith("/dashboard/")
    # Nothing is wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
