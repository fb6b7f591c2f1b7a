"""Reminder emails 24 hours and 1 hour before a webinar, through django-tasks.

With a backend that can defer (the database backend in production) each registration enqueues its two
reminders for the right moment. `send_due_reminders` (run by `manage.py webinars_send_reminders`, e.g. every
5 minutes from cron) sends whatever is due and not yet sent, so a moved webinar or the immediate backend still
gets its reminders; the sent_at columns make both paths send each reminder at most once.
"""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from lms.restrictions import page_viewable

from .models import Registration

REMINDERS = {"24h": timedelta(hours=24), "1h": timedelta(hours=1)}


def schedule_reminders(*, registration_id: int) -> None:
    if not default_task_backend.supports_defer:
        return
    registration = Registration.objects.select_related("webinar").get(pk=registration_id)
    now = timezone.now()
    for kind, before in REMINDERS.items():
        when = registration.webinar.start - before
        if when > now:
            send_reminder.using(run_after=when).enqueue(registration_id=registration_id, kind=kind)


@task()
def send_reminder(*, registration_id: int, kind: str) -> bool:
    """Send one reminder if it is still due (the registration exists, the webinar did not move away)."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("webinar", "user")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None or kind not in REMINDERS:
            return False
        if not page_viewable(registration.user, registration.webinar):
            return False  # restricted since they registered: no mail names it (a lifted restriction sends it)
        field = f"reminded_{kind}_at"
        start = registration.webinar.start
        now = timezone.now()
        if getattr(registration, field) is not None or not (
            start - REMINDERS[kind] - timedelta(minutes=10) <= now < start
        ):
            return False
        setattr(registration, field, now)
        registration.save(update_fields=[field])
    return _mail(registration, kind)


@task()
def send_due_reminders() -> int:
    """Send every reminder that is due now; returns how many were sent."""
    now = timezone.now()
    sent = 0
    for kind, before in REMINDERS.items():
        due = Registration.objects.filter(
            **{f"reminded_{kind}_at__isnull": True},
            webinar__live=True,
            webinar__start__gt=now,
            webinar__start__lte=now + before,
        ).values_list("pk", "created_at", "webinar__start")
        for pk, created_at, start in due:
            if created_at > start - before:
                continue  # registered after the reminder's moment: they know it is soon
            if send_reminder.call(registration_id=pk, kind=kind):
                sent += 1
    return sent


def _mail(registration: Registration, kind: str) -> bool:
    user, webinar = registration.user, registration.webinar
    if not user.email:
        return True  # email is optional: marked as done, nothing to send
    try:
        tz = zoneinfo.ZoneInfo(user.time_zone or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        tz = zoneinfo.ZoneInfo("UTC")
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE), timezone.override(tz):
        when = date_format(timezone.localtime(webinar.start), "DATETIME_FORMAT")
        if kind == "24h":
            subject = _("Tomorrow: %(title)s") % {"title": webinar.title}
        else:
            subject = _("In one hour: %(title)s") % {"title": webinar.title}
        url = settings.SITE_URL.rstrip("/") + (webinar.get_url() or "/")
        body = _(
            "Hello %(name)s,\n\nthe webinar “%(title)s” starts at %(when)s (%(tz)s).\n\n"
            "Join the room here: %(url)s\n\nYou receive this because you registered. "
            "To cancel, open the page and choose “Cancel registration”."
        ) % {"name": user.public_name, "title": webinar.title, "when": when, "tz": tz.key, "url": url}
    send_mail(subject, body, None, [user.email])
    return True
