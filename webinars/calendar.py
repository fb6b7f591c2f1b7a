"""iCalendar files: one webinar, or a person's feed of the webinars they registered for or present."""

from django.utils import timezone
from icalendar import Calendar, Event


def build_calendar(webinars, *, request, name: str) -> bytes:
    """A VCALENDAR with one VEVENT per webinar; UIDs are stable so calendar apps update rather than duplicate."""
    host = request.get_host()
    calendar = Calendar()
    calendar.add("prodid", "-//Community Learning//webinars//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for webinar in webinars:
        url = webinar.get_full_url(request=request) or request.build_absolute_uri("/")
        event = Event()
        event.add("uid", f"webinar-{webinar.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", webinar.start)
        event.add("dtend", webinar.end)
        event.add("summary", webinar.title)
        event.add("url", url)
        event.add("description", url)
        calendar.add_component(event)
    return calendar.to_ical()
