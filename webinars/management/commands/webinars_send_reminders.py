from django.core.management.base import BaseCommand

from webinars.tasks import send_due_reminders


class Command(BaseCommand):
    help = "Send the webinar reminders (24 h and 1 h before) that are due; safe to run every few minutes."

    def handle(self, *args, **options):
        sent = send_due_reminders.call()
        self.stdout.write(f"{sent} reminder(s) sent.")
