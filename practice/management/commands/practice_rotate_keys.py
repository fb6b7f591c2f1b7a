"""Re-encrypt every practice record's text, file name and file with the first of PRACTICE_ENCRYPTION_KEYS."""

from django.core.management.base import BaseCommand

from practice import services


class Command(BaseCommand):
    help = (
        "Re-encrypt field practice records and files with the first key of PRACTICE_ENCRYPTION_KEYS. Put the new "
        "key first (keep the old ones after it), run this, then remove the old keys (docs/practice.md)."
    )

    def handle(self, *args, **options):
        counts = services.rotate_keys()
        self.stdout.write(f"Re-encrypted {counts['values']} values and {counts['files']} files.")
