"""Leaving leaves nothing behind: after "Delete my account", "Quick exit" or any sign-out, the pages the service
worker kept for offline reading no longer open with the person's name; the quick-exit control is on every page,
works with and without JavaScript, and fits a 360 px screen."""

import contextlib
import uuid

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.demo_site import manage

from .conftest import log_in

PASSWORD = "a-long-password-for-leaving-42"
PRIVATE_PAGES = ("/dashboard/", "/account/", "/webinars/calendar/")
CREATE = """
from lms.testing import make_user
make_user(username={username!r}, display_name={name!r}, password={password!r})
"""


@pytest.fixture
def person(demo):
    """A new learner with a name that appears nowhere else on the site."""
    tag = uuid.uuid4().hex[:8]
    username, name = f"leaver{tag}", f"Zephyrine {tag}"
    manage(demo[1], "shell", "-c", CREATE.format(username=username, name=name, password=PASSWORD))
    return username, name


def keep_offline_copies(page, name: str) -> None:
    """Open the private pages through the service worker, so that it keeps a copy of each."""
    page.goto(PRIVATE_PAGES[0])
    page.evaluate("navigator.serviceWorker.ready")
    for path in PRIVATE_PAGES:
        page.goto(path)
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        expect(page.locator("body")).to_contain_text(name)


def read_offline(page, path: str) -> str:
    """What the browser shows for `path` while offline: a kept copy, the offline page or its own error page."""
    # Nothing at all to show (the worker went with the site's data) is the browser's own error page.
    with contextlib.suppress(PlaywrightError):
        page.goto(path)
    for _ in range(50):
        with contextlib.suppress(PlaywrightError):
            page.wait_for_load_state()
            return page.content()
        page.wait_for_timeout(100)  # still settling on the error page
    raise AssertionError(f"{path} never finished loading offline")


def assert_offline_copies_name(context, page, name: str, *, expected: bool) -> None:
    context.set_offline(True)
    try:
        for path in PRIVATE_PAGES:
            assert (name in read_offline(page, path)) is expected, path
    finally:
        context.set_offline(False)


def signed_in_with_copies(new_context, person, *, width: int = 360):
    """A browser signed in as `person` whose worker has kept the pages with their name: (context, page, name)."""
    username, name = person
    context = new_context(width=width)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    keep_offline_copies(page, name)
    return context, page, name


def test_the_offline_copies_do_hold_the_name_until_the_person_leaves(new_context, person):
    """The control experiment for the tests below: without leaving, the kept pages do show the name offline."""
    context, page, name = signed_in_with_copies(new_context, person)
    assert_offline_copies_name(context, page, name, expected=True)


def test_after_deleting_the_account_no_offline_copy_shows_the_name(new_context, person):
    context, page, name = signed_in_with_copies(new_context, person)
    page.goto("/account/delete/")
    page.fill("input[name=password]", PASSWORD)
    page.check("input[name=confirm]")
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_text("Your account and your data were deleted.")).to_be_visible()
    assert_offline_copies_name(context, page, name, expected=False)


def test_quick_exit_signs_out_and_leaves_no_offline_copy(new_context, person):
    context, page, name = signed_in_with_copies(new_context, person)
    page.goto("/account/")
    button = page.get_by_role("button", name="Quick exit")
    expect(button).to_be_visible()
    assert button.bounding_box()["x"] + button.bounding_box()["width"] <= 360  # on the screen, not past its edge
    button.click()
    page.wait_for_url("**/start/")
    assert page.title() == "New tab" and name not in page.content()
    assert_offline_copies_name(context, page, name, expected=False)
    page.goto("/dashboard/")
    assert "/accounts/login/" in page.url  # signed out on the server too


def test_quick_exit_with_escape_pressed_three_times(new_context, person):
    context, page, name = signed_in_with_copies(new_context, person, width=1280)
    for _ in range(3):
        page.keyboard.press("Escape")
    page.wait_for_url("**/start/")
    assert_offline_copies_name(context, page, name, expected=False)


def test_quick_exit_works_without_javascript(new_context, person, browser, demo_server):
    username, name = person
    context = browser.new_context(
        viewport={"width": 360, "height": 800}, java_script_enabled=False, base_url=demo_server.url
    )
    try:
        page = context.new_page()
        log_in(page, username, PASSWORD)
        page.goto("/dashboard/")
        expect(page.locator("body")).to_contain_text(name)
        page.get_by_role("button", name="Quick exit").click()
        page.wait_for_url("**/start/")
        assert page.title() == "New tab"
        assert not [c for c in context.cookies() if c["name"] == "sessionid"]
        page.goto("/dashboard/")
        assert "/accounts/login/" in page.url
    finally:
        context.close()


def test_the_worker_drops_kept_pages_when_a_page_arrives_for_nobody(new_context, person):
    """The worker's own clean-up, without any Clear-Site-Data: the session ends elsewhere (cookies gone, as on a
    browser that ignores the header), the next page online says nobody is signed in, and the copies go."""
    context, page, name = signed_in_with_copies(new_context, person)
    context.clear_cookies()
    page.goto("/privacy/")
    page.wait_for_function(
        """async () => {
            const cache = await caches.open("pages-v2");
            return !(await cache.match("/account/"));
        }"""
    )
    assert_offline_copies_name(context, page, name, expected=False)


@pytest.mark.parametrize("width", [360, 1280])
def test_screenshot_of_the_quick_exit_control(new_context, person, width, tmp_path_factory):
    username, _name = person
    page = new_context(width=width).new_page()
    log_in(page, username, PASSWORD)
    page.goto("/dashboard/")
    button = page.get_by_role("button", name="Quick exit")
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width and box["height"] >= 36
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    folder = tmp_path_factory.getbasetemp() / "quick-exit-shots"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"dashboard-{width}.png"))
