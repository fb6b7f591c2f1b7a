"""Thin views: the webinar pages' context, registration, calendars, the room page, transcript and attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.decorators import staff_view
from lms.restrictions import only_viewable, page_viewable

from . import selectors, services
from .calendar import build_calendar
from .models import CalendarFeed, Registration, WebinarIndexPage, WebinarPage
from .transcript import transcript_csv, transcript_markdown

PAST_PER_PAGE = 20


def _live_webinar(pk: int) -> WebinarPage:
    return get_object_or_404(WebinarPage.objects.live().select_related("track"), pk=pk)


def webinar_index_context(*, request, index: WebinarIndexPage) -> dict:
    """Upcoming and past webinars (of every locale: a webinar happens once), filtered by track and language."""
    from courses.models import Track

    now = timezone.now()
    # A webinar restricted to groups the reader is not in is not listed (lms/restrictions.py).
    webinars = only_viewable(WebinarPage.objects.live().select_related("track"), request.user)
    language = translation.get_language() or "en"
    tracks = list(Track.objects.filter(locale__language_code=language).order_by("name"))
    track_slug = request.GET.get("track", "")
    spoken = request.GET.get("language", "")
    chosen_track = next((t for t in tracks if t.slug == track_slug), None)
    if chosen_track is not None:
        webinars = webinars.filter(track__translation_key=chosen_track.translation_key)
    languages = dict(WebinarPage._meta.get_field("language").choices)
    if spoken in languages:
        webinars = webinars.filter(language=spoken)
    upcoming = list(webinars.filter(end__gt=now).annotate(seats_taken=Count("registrations")).order_by("start")[:50])
    past = Paginator(webinars.filter(end__lte=now).order_by("-start"), PAST_PER_PAGE).get_page(request.GET.get("page"))
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
    registered = presenter = False
    if user.is_authenticated:
        registered = Registration.objects.filter(webinar=webinar, user=user).exists()
        presenter = services.user_is_presenter(user=user, webinar=webinar)
    taken = Registration.objects.filter(webinar=webinar).count()
    seats_left = None if webinar.capacity is None else max(0, webinar.capacity - taken)
    may_enter = presenter or registered or (user.is_authenticated and webinar.capacity is None)
    return {
        "registered": registered,
        "presenter": presenter,
        "seats_left": seats_left,
        "may_enter": may_enter,
        "live": webinar.is_live(),
        "ended": webinar.has_ended(),
        "room_url": reverse("webinars:room", args=[webinar.pk]),
        "presenters": list(webinar.presenters.all()),
    }


def _back(webinar: WebinarPage):
    return redirect(webinar.get_url() or "/")


@login_required
@require_POST
def register_view(request, pk: int):
    webinar = _live_webinar(pk)
    try:
        services.registration_create(user=request.user, webinar=webinar)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are registered. Add it to your calendar so you do not miss it."))
    return _back(webinar)


@login_required
@require_POST
def cancel_view(request, pk: int):
    webinar = _live_webinar(pk)
    if services.registration_cancel(user=request.user, webinar=webinar):
        messages.success(request, _("Your registration was cancelled."))
    return _back(webinar)


def webinar_ics_view(request, pk: int):
    webinar = _live_webinar(pk)
    if not page_viewable(request.user, webinar):
        raise Http404  # its title and time are the page's (lms/restrictions.py)
    body = build_calendar([webinar], request=request, name=webinar.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="webinar-{webinar.pk}.ics"'
    return response


def feed_view(request, token: str):
    """The personal feed: anyone with the URL can read it, so the token is long, random and resettable."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    webinars = (
        only_viewable(WebinarPage.objects.live(), user)  # asked for the feed's owner (lms/restrictions.py)
        .filter(Q(registrations__user=user) | Q(presenters=user))
        .filter(end__gt=timezone.now() - timezone.timedelta(days=30))
        .distinct()
        .order_by("start")
    )
    body = build_calendar(list(webinars), request=request, name=_("My webinars"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
def calendar_view(request):
    if request.method == "POST":
        services.calendar_feed_reset(user=request.user)
        messages.success(request, _("Your calendar link was replaced; the old one no longer works."))
        return redirect("webinars:calendar")
    feed = services.calendar_feed_for(user=request.user)
    feed_url = request.build_absolute_uri(reverse("webinars:feed", args=[feed.token]))
    return render(request, "webinars/calendar.html", {"feed_url": feed_url})


@staff_view(others_data=lambda request, pk: services.user_is_presenter(user=request.user, webinar=_live_webinar(pk)))
@login_required
def room_view(request, pk: int):
    webinar = _live_webinar(pk)
    if not services.user_may_enter_room(user=request.user, webinar=webinar):
        if not page_viewable(request.user, webinar):
            raise Http404  # a webinar restricted to other groups: nothing of it is served (lms/restrictions.py)
        messages.error(request, _("Register for this webinar to join the room."))
        return _back(webinar)
    presenter = services.user_is_presenter(user=request.user, webinar=webinar)
    return render(
        request,
        "webinars/room.html",
        {
            "webinar": webinar,
            "presenter": presenter,
            "ws_path": f"/ws/webinars/{webinar.pk}/",
            "question_max": services.QUESTION_MAX_LENGTH,
            "answer_max": services.ANSWER_MAX_LENGTH,
            "strings": room_strings(),
        },
    )


def room_strings() -> dict[str, str]:
    """Every text the room's script shows, translated here and handed over through json_script."""
    return {
        "connecting": _("Connecting…"),
        "live": _("Connected"),
        "reconnecting": _("Connection lost. Reconnecting…"),
        "refused": _("You cannot join this room. Reload the page or register first."),
        "sending": _("Sending…"),
        "anonymous": _("Anonymous"),
        "you": _("You"),
        "pending": _("Awaiting approval"),
        "pinned": _("Pinned"),
        "answered": _("Answered"),
        "vote": _("Vote"),
        "votes_count": _("Votes: %s"),
        "approve": _("Approve"),
        "dismiss": _("Dismiss"),
        "restore": _("Restore"),
        "pin": _("Pin"),
        "unpin": _("Unpin"),
        "answer": _("Answer"),
        "answer_placeholder": _("Answer in writing (optional), then press Mark answered"),
        "mark_answered": _("Mark answered"),
        "close_poll": _("Close poll"),
        "poll_closed": _("Closed"),
        "poll_open": _("Open"),
        "results_hidden": _("Results are shown when the poll closes."),
        "your_choice": _("Your vote"),
        "total_votes": _("Votes in total: %s"),
        "no_questions": _("No questions yet. Be the first to ask."),
        "not_connected": _("Not connected yet; your question is kept and will be sent when the connection is back."),
    }


def _presenter_webinar(request, pk: int) -> WebinarPage:
    webinar = _live_webinar(pk)
    if not services.user_is_presenter(user=request.user, webinar=webinar):
        raise PermissionDenied
    return webinar


@staff_view
@login_required
def transcript_view(request, pk: int, fmt: str):
    webinar = _presenter_webinar(request, pk)
    stamp = webinar.start.strftime("%Y%m%d")
    if fmt == "md":
        response = HttpResponse(transcript_markdown(webinar), content_type="text/markdown; charset=utf-8")
    else:
        response = HttpResponse(transcript_csv(webinar), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="webinar-{webinar.pk}-{stamp}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@login_required
def attendance_view(request, pk: int):
    webinar = _presenter_webinar(request, pk)
    rows = selectors.attendance_report(webinar=webinar)
    registered = Registration.objects.filter(webinar=webinar).count()
    return render(request, "webinars/attendance.html", {"webinar": webinar, "rows": rows, "registered": registered})


def index_url_for_language(request=None) -> str | None:
    """The webinar index of the current language (or English), for links from other pages (one query)."""
    language = translation.get_language() or "en"
    pages = {p.locale.language_code: p for p in WebinarIndexPage.objects.live().select_related("locale")}
    page = pages.get(language) or pages.get("en") or next(iter(pages.values()), None)
    return page.get_url(request=request) if page else None
