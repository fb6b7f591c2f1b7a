"""A newcomer learns in Russian: signs up without an email, enrols in the budget-advocacy course, reads the
lessons, fails then passes the quiz, submits the assignment, and sees the progress bars move. Then the course's
trainer reviews and approves the assignment and finds the learner in the course report and its CSV."""

from .conftest import log_in

PASSWORD = "очень-длинный-пароль-17"
USERNAME = "aktivistka"


def progress(page) -> int:
    return int(page.locator("progress").first.get_attribute("value"))


def answer_quiz(page, quiz: dict, *, right: bool) -> None:
    form = page.locator(f"#block-{quiz['key']} form")
    for question in quiz["questions"]:
        for choice in question["right"] if right else question["wrong"]:
            form.locator(f"#c-{choice}").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_newcomer_takes_the_budget_course_in_russian(new_context, course_map):
    page = new_context(locale="ru-RU").new_page()
    page.goto("/ru/accounts/signup/")
    page.fill("input[name=username]", USERNAME)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ru/dashboard/")

    page.get_by_role("link", name="Курсы").first.click()
    page.locator(f"main a[href='{course_map['course']}']").first.click()
    page.wait_for_url(f"**{course_map['course']}")
    page.get_by_role("button", name="Записаться на курс").click()
    assert progress(page) == 0

    seen = [0]
    for lesson in course_map["lessons"]:
        page.goto(lesson["url"])
        for quiz in lesson["quizzes"]:
            answer_quiz(page, quiz, right=False)
            feedback = page.locator(f"#block-{quiz['key']} .quiz-feedback")
            assert feedback.locator(".is-wrong").count() == len(quiz["questions"])
            answer_quiz(page, quiz, right=True)
            assert page.locator(f"#block-{quiz['key']} .badge-ok").first.is_visible()  # "passed"
        for key in lesson["assignments"]:
            block = page.locator(f"#block-{key}")
            block.locator("textarea").fill("Цель: добиться финансирования 9 пунктов обмена шприцев в области.")
            block.locator("button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator(f"#block-{key} .submission-status").is_visible()
        page.locator("form[action*='/complete/'] button").click()
        page.wait_for_load_state()
        page.goto(course_map["course"])
        seen.append(progress(page))
    assert seen == sorted(seen) and seen[-1] > seen[1] > 0, seen
    assert seen[-1] < 100  # the assignment still waits for the trainer

    page.goto("/ru/dashboard/")
    assert page.locator(f"#panel-courses a[href='{course_map['course']}']").first.is_visible()


def test_trainer_approves_the_assignment_and_finds_the_learner_in_the_report(new_context, course_map):
    page = new_context(width=1280).new_page()
    log_in(page, "trainer")
    page.goto("/trainer/reviews/")
    page.get_by_text(USERNAME).first.locator("xpath=ancestor-or-self::*[.//a][1]").locator("a").first.click()
    page.locator("input[name=decision][value=approve]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"/trainer/courses/{course_map['id']}/")
    row = page.locator("tr", has_text=USERNAME)
    assert row.count() == 1 and "100" in row.inner_text()
    with page.expect_download() as download:
        page.locator(f"a[href$='/trainer/courses/{course_map['id']}/report.csv']").click()
    csv_text = download.value.path().read_text(encoding="utf-8-sig")
    assert USERNAME in csv_text

    learner = new_context(locale="ru-RU").new_page()
    log_in(learner, USERNAME, PASSWORD, prefix="/ru")
    learner.goto(course_map["course"])
    assert progress(learner) == 100
