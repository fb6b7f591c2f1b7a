"""Settings > Translation status: per locale, what is translated, out of date, not published or missing."""

import pytest

from lms.testing import make_user
from tests.courses.factories import lessons_of, make_course
from tests.localize import submit, sync, translate

pytestmark = pytest.mark.django_db

URL = "/admin/translations/"
ALL_ZERO = {"translated": "0", "in_progress": "0", "out_of_date": "0", "draft": "0", "missing": "0"}


def counts(html: str, locale: str, kind: str) -> dict[str, str]:
    """The row of `kind` in `locale`'s table, by state."""
    import re

    section = html.split(f'id="locale-{locale}"', 1)[1].split("</table>", 1)[0]
    row = section.split(f'<th scope="row">{kind}</th>', 1)[1].split("</tr>", 1)[0]
    return dict(re.findall(r'data-state="(\w+)">(\d+)<', row))


def test_the_status_page_counts_translated_out_of_date_draft_and_missing_per_locale(client, editor):
    course = make_course(lessons=2, title="Budget basics")
    make_course(lessons=1, title="Monitoring")
    assert submit(client, course, "ru", subtree=True).status_code == 302
    translate(client, course, "ru", {"Budget basics": "Основы бюджета"}, default="RU")
    first_lesson = lessons_of(course)[0]
    translate(client, first_lesson, "ru", {}, default="RU")
    html = client.get(URL).content.decode()
    assert counts(html, "ru", "Courses") == dict(ALL_ZERO, translated="1", missing="1")
    # The second lesson was submitted with the course: a draft, being translated, until a translator publishes it.
    assert counts(html, "ru", "Lessons") == dict(ALL_ZERO, translated="1", in_progress="1", missing="1")
    assert counts(html, "uk", "Courses") == dict(ALL_ZERO, missing="2")
    assert counts(html, "en", "Courses")["translated"] == "2"

    course.summary = "A new summary the translation does not have."
    course.save_revision().publish()
    html = client.get(URL).content.decode()
    assert counts(html, "ru", "Courses") == dict(ALL_ZERO, out_of_date="1", missing="1")
    assert counts(html, "en", "Courses")["translated"] == "2"  # the source itself is not out of date
    listed = html.split('id="locale-ru"', 1)[1].split('data-state="out_of_date">', 2)[2].split("</ul>", 1)[0]
    assert "Budget basics" in listed and "/admin/localize/update/" in listed  # named, with its "Sync" link

    assert sync(client, course).status_code == 302  # the translation takes the change, to be translated
    html = client.get(URL).content.decode()
    assert counts(html, "ru", "Courses") == dict(ALL_ZERO, in_progress="1", missing="1")
    translate(client, course, "ru", {"A new summary the translation does not have.": "Новое описание."})
    html = client.get(URL).content.decode()
    assert counts(html, "ru", "Courses") == dict(ALL_ZERO, translated="1", missing="1")


def test_the_status_page_reads_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries):
    def courses_translated(number):
        for i in range(number):
            course = make_course(lessons=2, title=f"Course {i}")
            submit(client, course, "ru", subtree=True)

    courses_translated(1)
    client.get(URL)
    with django_assert_max_num_queries(20) as small:
        assert client.get(URL).status_code == 200
    measured = len(small)  # read now: the next request empties the connection's log
    courses_translated(9)
    client.get(URL)  # the admin's menus read the site's structure again once after a publication
    with django_assert_max_num_queries(measured):
        assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", ["learner", "trainer", "certifier"])
def test_only_editors_see_the_status_page_and_its_menu_item(client, site, role):
    from lms import roles

    user = make_user(role={"learner": None, "trainer": roles.TRAINERS, "certifier": roles.CERTIFIERS}[role])
    client.force_login(user)
    assert client.get(URL).status_code == 302  # to the login page, or the admin's dashboard with a message
    if role != "learner":
        assert URL not in client.get("/admin/").content.decode()


def test_an_editor_in_the_editors_group_sees_it_in_the_settings_menu(client, site):
    from django.contrib.auth.models import Group

    editor = make_user()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert client.get(URL).status_code == 200
    assert URL in client.get("/admin/").content.decode()
