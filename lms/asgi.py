"""ASGI entry point: the webinar live room's websockets (Channels), and HTTP through Django's own handler.

Production serves only `/ws/` from here (uvicorn); pages go through WSGI (`lms/wsgi.py` under gunicorn,
`gunicorn.conf.py`). `make run` serves both from this one application under daphne.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"lms.settings.{os.environ.get('DJANGO_ENV', 'dev')}")

from django.core.asgi import get_asgi_application

# Sets Django up; it must come before anything that imports models (the consumers).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from lms.startup import freeze_startup_heap  # noqa: E402
from webinars.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

freeze_startup_heap()
