"""What the webinar pages show: the context of the webinar index and of a webinar page.

The page classes in models.py call these from their `get_context` (Wagtail's extension point); views.py keeps
the forms posted from them, the calendars, the room and the presenters' downloads. Reads go through
selectors.py, rules through services.py.
"""

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from lms.restrictions import only_viewable

from . import selectors, services
from .models import Registration, WebinarIndexPage, WebinarPage

PAST_PER_PAGE = 20


def webinar_index_context(*, request, index: WebinarIndexPage) -> dict:
    """Upcoming and past webinars (of every locale: a webinar happens once), filtered by track and language."""
    from courses.models import Track

    now = timezone.now()
    language = translation.get_language() or "en"
    # A webinar restricted to groups the reader is not in is not listed (lms/restrictions.py). A translated webinar
    # is listed once: in the reader's language where it has a live version, else its first live one.
    live = WebinarPage.objects.live()
    in_language = live.filter(translation_key=OuterRef("translation_key"), locale__language_code=language)
    earlier = live.filter(translation_key=OuterRef("translation_key"), pk__lt=OuterRef("pk"))
    webinars = only_viewable(
        live.select_related("track").filter(
            Q(locale__language_code=language) | (~Exists(in_language) & ~Exists(earlier))
        ),
        request.user,
    )
    tracks = list(Track.objects.filter(locale__language_code=language).order_by("name"))
    track_slug = request.GET.get("track", "")
    spoken = request.GET.get("language", "")
    chosen_track = next((t for t in tracks if t.slug == track_slug), None)
    if chosen_track is not None:
        webinars = webinars.filter(track__translation_key=chosen_track.translation_key)
    languages = dict(WebinarPage._meta.get_field("language").choices)
    if spoken in languages:
        webinars = webinars.filter(language=spoken)
    # Seats are the session's (WebinarPage.session holds the registrations of every language version).
    seats = (
        Registration.objects.filter(webinar__translation_key=OuterRef("translation_key"))
        .order_by()
        .values("webinar__translation_key")
        .annotate(n=Count("pk"))
        .values("n")
    )
    upcoming = list(
        webinars.filter(end__gt=now).annotate(seats_taken=Coalesce(Subquery(seats), 0)).order_by("start")[:50]
    )
    past = Paginator(webinars.filter(end__lte=now).order_by("-start"), PAST_PER_PAGE).get_page(request.GET.get("page"))
    past.object_list = list(past.object_list)
    # A webinar's track is stored in one language: its card names the track in the reader's (the same track's
    # translation, from the tracks just read), or as stored where no translation exists.
    names = {track.translation_key: track.name for track in tracks}
    for webinar in [*upcoming, *past.object_list]:
        webinar.track_name = names.get(webinar.track.translation_key, webinar.track.name) if webinar.track else ""
    return {
        "upcoming": upcoming,
        "past": past,
        "tracks": tracks,
        "languages": languages,
        "chosen_track": chosen_track.slug if chosen_track else "",
        "chosen_language": spoken if spoken in languages else "",
        "now": now,
    }


def webinar_page_context(*, request, webinar: WebinarPage) -> dict:
    user = request.user
    registered = selectors.is_registered(user=user, webinar=webinar)
    presenter = user.is_authenticated and services.user_is_presenter(user=user, webinar=webinar)
    taken = selectors.registration_count(webinar=webinar)
    seats_left = None if webinar.capacity is None else max(0, webinar.capacity - taken)
    may_enter = presenter or registered or (user.is_authenticated and webinar.capacity is None)
    return {
        "session": webinar,
        "registered": registered,
        "presenter": presenter,
        "seats_left": seats_left,
        "may_enter": may_enter,
        "live": webinar.is_live(),
        "ended": webinar.has_ended(),
        "room_url": reverse("webinars:room", args=[webinar.pk]),
        "presenters": list(webinar.presenters.all()),
    }
