"""The webinars panel of /dashboard/: my upcoming webinars (registered or presenting), with the live ones first."""

from django.db.models import Q
from django.utils import timezone

from lms.restrictions import only_viewable

from .models import WebinarPage
from .selectors import index_url_for_language


def panel_context(request) -> dict | None:
    """Three queries whatever the number of webinars (pages, the ones I present, the index), plus Wagtail's
    cached site-root lookup for the index URL, and the view restrictions' two when a page is restricted."""
    user = request.user
    now = timezone.now()
    webinars = list(
        only_viewable(WebinarPage.objects.live(), user)  # none restricted to groups I am not in (lms/restrictions.py)
        .filter(end__gt=now)
        .filter(Q(registrations__user=user) | Q(presenters=user))
        .distinct()
        .order_by("start")[:20]
    )
    presenting = set(
        WebinarPage.presenters.through.objects.filter(user=user, webinarpage__in=[w.pk for w in webinars]).values_list(
            "webinarpage_id", flat=True
        )
    )
    rows = [{"page": w, "live": w.is_live(now), "presenting": w.pk in presenting} for w in webinars]
    return {"webinars": rows, "live": [r for r in rows if r["live"]], "index_url": index_url_for_language(request)}
