"""Re-evaluate everyone's progression (cron, e.g. nightly): the certifiers' queue and the automatic issues catch
up with whatever no domain signal announced or a failed enqueue missed (a presenter's webinar that ended, a
webinar published afterwards, a requirement changed). With --webinars-ended-within, only the presenters of the
webinars that ended in the last minutes are re-evaluated (cron, every few minutes, a window a little longer than
the interval)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from certificates.models import AuditEntry, QueueEntry
from certificates.services import progression_refresh


def _pending_ids() -> set[int]:
    return set(QueueEntry.objects.filter(status=QueueEntry.Status.PENDING).values_list("pk", flat=True))


def _last_audit_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class Command(BaseCommand):
    help = (
        "Re-evaluate every active user's progression: queue the newly eligible for the certifiers and issue "
        "the levels that need no approval. With --webinars-ended-within MINUTES, announce only the webinars "
        "that ended in the last MINUTES (their presenters are re-evaluated)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--webinars-ended-within",
            type=int,
            metavar="MINUTES",
            help="Only re-evaluate the presenters of published webinars that ended in the last MINUTES minutes.",
        )

    def handle(self, *args, **options):
        minutes = options.get("webinars_ended_within")
        if minutes is not None:
            self._announce_ended_webinars(minutes)
            return
        pending_before, audit_before = _pending_ids(), _last_audit_id()
        users = get_user_model().objects.filter(is_active=True).count()
        progression_refresh(user_ids=None)
        added = len(_pending_ids() - pending_before)
        issued = AuditEntry.objects.filter(pk__gt=audit_before, action=AuditEntry.Action.AUTO_ISSUE).count()
        self.stdout.write(
            f"Evaluated {users} user(s): {added} added to the certifiers' queue, "
            f"{issued} certificate(s) issued automatically."
        )

    def _announce_ended_webinars(self, minutes: int) -> None:
        from webinars.services import webinars_ended_announce

        if minutes <= 0:
            raise CommandError("--webinars-ended-within takes a positive number of minutes.")
        now = timezone.now()
        announced = webinars_ended_announce(since=now - timedelta(minutes=minutes), now=now)
        presenters = {user_id for _webinar, presenter_ids in announced for user_id in presenter_ids}
        self.stdout.write(
            f"{len(announced)} webinar(s) ended in the last {minutes} minute(s): "
            f"re-evaluation of {len(presenters)} presenter(s) enqueued."
        )
