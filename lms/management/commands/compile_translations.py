"""Compile every app's .po catalogues to .mo with Babel, so that no system gettext is needed to run.

(`makemessages` still needs GNU gettext, but only developers who add strings run it.)
"""

from pathlib import Path

from babel.messages import mofile, pofile
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def catalogue_paths() -> list[Path]:
    """The project's own .po files: each project app's locale folder and LOCALE_PATHS."""
    base = Path(settings.BASE_DIR)
    roots = [Path(p) for p in getattr(settings, "LOCALE_PATHS", [])]
    roots += [
        Path(c.path) / "locale"
        for c in apps.get_app_configs()
        if Path(c.path).is_relative_to(base) and "site-packages" not in Path(c.path).parts
    ]
    return sorted(p for root in roots if root.is_dir() for p in root.glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile the project's .po catalogues into .mo files (pure Python, Babel)."

    def handle(self, *args, **options):
        paths = catalogue_paths()
        for po_path in paths:
            locale = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                try:
                    catalogue = pofile.read_po(handle, locale=locale, abort_invalid=True)
                except Exception as error:
                    raise CommandError(f"{po_path}: {error}") from error
            with po_path.with_suffix(".mo").open("wb") as handle:
                mofile.write_mo(handle, catalogue, use_fuzzy=False)
        self.stdout.write(f"Compiled {len(paths)} catalogue(s).")
