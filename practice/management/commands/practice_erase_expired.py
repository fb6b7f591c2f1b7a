"""Erase the text and files of practice records accepted more than PRACTICE_RETENTION_MONTHS ago (run daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from practice import services


class Command(BaseCommand):
    help = "Erase the text and files of field practice records accepted more than PRACTICE_RETENTION_MONTHS ago."

    def handle(self, *args, **options):
        erased = services.retention_erase_expired()
        months = settings.PRACTICE_RETENTION_MONTHS
        self.stdout.write(f"Erased {erased} records accepted more than {months} months ago.")
