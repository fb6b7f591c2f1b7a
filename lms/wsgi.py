"""WSGI entry point, for management tools; the site itself is served over ASGI (lms/asgi.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"lms.settings.{os.environ.get('DJANGO_ENV', 'dev')}")

application = get_wsgi_application()
