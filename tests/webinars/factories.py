"""Small builders for the webinars tests: pages through Wagtail's tree API, everything else through services."""

import itertools
from datetime import timedelta

from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from lms import roles
from lms.testing import make_site, make_user
from webinars.models import WebinarIndexPage, WebinarPage

_slugs = itertools.count(1)


def make_index() -> WebinarIndexPage:
    home = make_site()["en"]
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=WebinarIndexPage(title="Webinars", slug="webinars"))
    return index


def make_webinar(*, presenters=(), starts_in=timedelta(minutes=-5), minutes=60, **fields) -> WebinarPage:
    """A published webinar, live by default (started five minutes ago)."""
    index = make_index()
    start = timezone.now() + starts_in
    number = next(_slugs)
    page = WebinarPage(
        title=fields.pop("title", f"Webinar {number}"),
        slug=f"webinar-{number}",
        start=start,
        end=start + timedelta(minutes=minutes),
        **fields,
    )
    page.presenters = list(presenters)
    index.add_child(instance=page)
    return WebinarPage.objects.get(pk=page.pk)


def make_trainer(**fields):
    return make_user(role=roles.TRAINERS, **fields)


def webinar_admin_form(webinar, *, presenters=None, documents=(), action="action-publish") -> dict:
    """The Wagtail admin's edit form of `webinar` as posted: its materials being `documents`, and its presenters
    (a field only those who may assign staff are shown) when given."""
    data = nested_form_data(
        {
            "title": webinar.title,
            "slug": webinar.slug,
            "description": rich_text("<p>About.</p>"),
            "start": timezone.localtime(webinar.start).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(webinar.end).strftime("%Y-%m-%d %H:%M"),
            "language": "en",
            "qa_mode": "open",
            "votes_enabled": "on",
            "materials": streamfield([("document", {"title": "Handout", "document": d.pk}) for d in documents]),
            "comments": inline_formset([]),
            action: action,
        }
    )
    if presenters is not None:
        data["presenters"] = [user.pk for user in presenters]
    return data
