#!/usr/bin/env python
"""Django's command-line utility; DJANGO_ENV picks the settings (dev by default)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"lms.settings.{os.environ.get('DJANGO_ENV', 'dev')}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
