"""ASGI entry point: HTTP through Django, websockets (the webinar live room) through Channels."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"lms.settings.{os.environ.get('DJANGO_ENV', 'dev')}")

import django

# Django must be set up before anything imports models.
django.setup(set_prefix=False)

from lms.http import SyncStackASGIHandler  # noqa: E402

django_asgi_app = SyncStackASGIHandler()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from webinars.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)


def _freeze_startup_heap() -> None:
    """Load the URLconf, then move everything built so far out of the garbage collector's reach.

    A Wagtail process holds a few hundred thousand long-lived objects (models, block definitions, URL
    patterns); without this every full collection walks them all, and those pauses were the slowest requests
    in bench/pages.py. Collections still run; they only skip objects that live as long as the process.
    """
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URL patterns now, not on the first request
    gc.collect()
    gc.freeze()


_freeze_startup_heap()
