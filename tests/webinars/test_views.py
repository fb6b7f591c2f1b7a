import csv
import io
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from courses.models import Track
from lms.testing import PASSWORD, make_user
from webinars import services
from webinars.models import CalendarFeed, Registration

from .factories import make_index, make_trainer, make_webinar

pytestmark = pytest.mark.django_db


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def trainer():
    return make_trainer(display_name="Oleg")


def test_index_lists_upcoming_and_past_with_track_and_language_filters(client, trainer):
    from wagtail.models import Locale

    make_index()
    track = Track.objects.create(name="Budget advocacy", slug="budget", locale=Locale.objects.get(language_code="en"))
    make_webinar(presenters=[trainer], title="Soon in Russian", language="ru", track=track,
                 starts_in=timedelta(days=2))  # fmt: skip
    make_webinar(presenters=[trainer], title="Soon in English", language="en", starts_in=timedelta(days=3))
    make_webinar(presenters=[trainer], title="Last week", starts_in=timedelta(days=-7))
    page = client.get("/webinars/").content.decode()
    assert page.index("Soon in Russian") < page.index("Soon in English") < page.index("Last week")
    filtered = client.get("/webinars/?track=budget").content.decode()
    assert "Soon in Russian" in filtered and "Soon in English" not in filtered
    by_language = client.get("/webinars/?language=en").content.decode()
    assert "Soon in English" in by_language and "Soon in Russian" not in by_language
    assert client.get("/webinars/?track=nope&language=xx&page=abc").status_code == 200


def test_register_cancel_and_full(client, trainer):
    webinar = make_webinar(presenters=[trainer], capacity=1, starts_in=timedelta(days=1))
    first, second = make_user(), make_user()
    login(client, first)
    page = client.get(webinar.url).content.decode()
    assert "1 seat left" in page and reverse("webinars:register", args=[webinar.pk]) in page
    response = client.post(reverse("webinars:register", args=[webinar.pk]), follow=True)
    assert "You are registered" in response.content.decode()
    assert client.get(reverse("webinars:register", args=[webinar.pk])).status_code == 405
    login(client, second)
    response = client.post(reverse("webinars:register", args=[webinar.pk]), follow=True)
    assert "This webinar is full." in response.content.decode()
    assert list(Registration.objects.values_list("user_id", flat=True)) == [first.pk]
    login(client, first)
    client.post(reverse("webinars:cancel", args=[webinar.pk]))
    assert not Registration.objects.exists()


def test_anonymous_visitor_sees_times_in_utc_and_a_login_link(client, trainer):
    webinar = make_webinar(presenters=[trainer], starts_in=timedelta(days=1))
    page = client.get(webinar.url).content.decode()
    assert "Log in to register" in page and "UTC" in page
    assert webinar.stream_url == "" and "meet.jit.si" not in page


def test_stream_link_only_for_people_who_may_enter(client, trainer):
    webinar = make_webinar(presenters=[trainer], capacity=5, stream_url="https://meet.jit.si/secret-room")
    learner = make_user()
    login(client, learner)
    assert "secret-room" not in client.get(webinar.url).content.decode()
    services.registration_create(user=learner, webinar=webinar)
    page = client.get(webinar.url).content.decode()
    assert "secret-room" in page and 'target="_blank"' in page
    assert "<iframe" not in page


def test_webinar_ics(client, trainer):
    webinar = make_webinar(presenters=[trainer], title="Budgets 101", starts_in=timedelta(days=1))
    response = client.get(reverse("webinars:ics", args=[webinar.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    event = Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "Budgets 101"
    assert event.decoded("DTSTART") == webinar.start.replace(microsecond=0)
    assert event.decoded("DTEND") == webinar.end.replace(microsecond=0)


def test_personal_feed_token_lists_my_webinars_and_can_be_replaced(client, trainer):
    mine = make_webinar(presenters=[trainer], title="Mine", starts_in=timedelta(days=1))
    make_webinar(presenters=[trainer], title="Not mine", starts_in=timedelta(days=2))
    learner = make_user()
    services.registration_create(user=learner, webinar=mine)
    login(client, learner)
    page = client.get(reverse("webinars:calendar")).content.decode()
    token = CalendarFeed.objects.get(user=learner).token
    assert len(token) >= 40 and token in page
    client.logout()
    feed = client.get(reverse("webinars:feed", args=[token]))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert summaries == ["Mine"]
    assert client.get(reverse("webinars:feed", args=["x" * 43])).status_code == 404
    login(client, learner)
    client.post(reverse("webinars:calendar"))
    assert client.get(reverse("webinars:feed", args=[token])).status_code == 404


def test_room_page_needs_login_and_a_seat_and_has_no_inline_script(client, trainer):
    webinar = make_webinar(presenters=[trainer], capacity=3)
    room_url = reverse("webinars:room", args=[webinar.pk])
    assert client.get(room_url).status_code == 302  # to login
    learner = make_user()
    login(client, learner)
    assert client.get(room_url).status_code == 302  # not registered: back to the page
    services.registration_create(user=learner, webinar=webinar)
    response = client.get(room_url)
    html = response.content.decode()
    assert response.status_code == 200 and f'data-ws-path="/ws/webinars/{webinar.pk}/"' in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all('src="' in s or 'type="application/json"' in s for s in scripts)
    assert 'style="' not in html
    assert "Moderation" not in html and "Start a poll" not in html
    login(client, trainer)
    assert "Start a poll" in client.get(room_url).content.decode()


def test_transcript_for_presenters_only_and_without_anonymous_authors(client, trainer):
    webinar = make_webinar(presenters=[trainer], title="Targets")
    asker = make_user(display_name="Secret Name")
    q1 = services.question_ask(user=asker, webinar=webinar, text="Anonymous one", anonymous=True)
    services.question_ask(user=asker, webinar=webinar, text="=HYPERLINK(evil)", anonymous=False)
    dismissed = services.question_ask(user=make_user(), webinar=webinar, text="Dismiss me")
    services.question_moderate(user=trainer, webinar=webinar, question_id=dismissed.pk, action="dismiss")
    services.question_moderate(user=trainer, webinar=webinar, question_id=q1.pk, action="answer", answer="Yes.")
    poll = services.poll_open(user=trainer, webinar=webinar, question="Which?", choices=["A", "B"])
    services.poll_vote(user=asker, webinar=webinar, poll_id=poll.pk, choice_id=poll.choices.first().pk)
    md_url = reverse("webinars:transcript_md", args=[webinar.pk])
    csv_url = reverse("webinars:transcript_csv", args=[webinar.pk])
    login(client, asker)
    assert client.get(md_url).status_code == 403
    login(client, trainer)
    markdown = client.get(md_url).content.decode()
    assert "Anonymous one" in markdown and "Yes." in markdown and "Dismiss me" not in markdown
    assert "Secret Name" in markdown  # the named question only
    assert markdown.count("Secret Name") == 1 and "- A: 1 (100%)" in markdown
    rows = list(csv.reader(io.StringIO(client.get(csv_url).content.decode())))
    anonymous_row = next(r for r in rows if r[3] == "Anonymous one")
    assert anonymous_row[2] == "Anonymous" and anonymous_row[4] == "Yes."
    assert any(r[3] == "'=HYPERLINK(evil)" for r in rows)  # no formula injection


def test_attendance_report_for_presenters(client, trainer):
    webinar = make_webinar(presenters=[trainer])
    learner = make_user(display_name="Present Person")
    interval = services.attendance_open(user=learner, webinar=webinar)
    services.attendance_close(attendance_id=interval.pk)
    url = reverse("webinars:attendance", args=[webinar.pk])
    login(client, learner)
    assert client.get(url).status_code == 403
    login(client, trainer)
    assert "Present Person" in client.get(url).content.decode()


def test_dashboard_panel_lists_my_upcoming_and_live_webinars(client, trainer):
    live = make_webinar(presenters=[trainer], title="Live one")
    later = make_webinar(presenters=[trainer], title="Later one", starts_in=timedelta(days=1))
    make_webinar(presenters=[trainer], title="Someone else's", starts_in=timedelta(days=1))
    learner = make_user()
    for webinar in (live, later):
        services.registration_create(user=learner, webinar=webinar)
    login(client, learner)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Live one" in page and "Later one" in page and "Someone else" not in page
    assert reverse("webinars:room", args=[live.pk]) in page


def test_russian_room_page_is_translated(client, trainer):
    webinar = make_webinar(presenters=[trainer])
    learner = make_user()
    login(client, learner)
    html = client.get("/ru" + reverse("webinars:room", args=[webinar.pk])).content.decode()
    assert "Задать вопрос" in html
