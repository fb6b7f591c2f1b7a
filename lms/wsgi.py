"""WSGI entry point: production serves the pages with gunicorn from here (`gunicorn.conf.py`, docs/deploy.md);
the live room's websockets go through `lms/asgi.py`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"lms.settings.{os.environ.get('DJANGO_ENV', 'dev')}")

application = get_wsgi_application()
