"""Thin views: registration, calendars, the room page, transcript and attendance. The webinar pages' own contexts
are in pages.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from lms.decorators import staff_view
from lms.restrictions import only_viewable, page_viewable

from . import selectors, services
from .calendar import build_calendar
from .models import CalendarFeed, WebinarPage
from .transcript import transcript_csv, transcript_markdown


def _live_webinar(pk: int) -> WebinarPage:
    """The session of the live webinar page `pk` (its own, or its first version's for a translation: a webinar
    happens once in every language, WebinarPage.session)."""
    return get_object_or_404(WebinarPage.objects.live().select_related("track"), pk=pk).session


def _back(webinar: WebinarPage):
    """Back to the webinar's page in the reader's language where it has one."""
    page = webinar.get_translation_or_none(Locale.get_active()) or webinar
    return redirect((page if page.live else webinar).get_url() or "/")


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
    registered = selectors.registration_count(webinar=webinar)
    return render(request, "webinars/attendance.html", {"webinar": webinar, "rows": rows, "registered": registered})
