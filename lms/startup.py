"""What a server process does once its application is loaded, before it serves anything."""

import gc


def freeze_startup_heap() -> None:
    """Load the URLconf, then move everything built so far out of the garbage collector's reach.

    A Wagtail process holds a few hundred thousand long-lived objects (models, block definitions, URL
    patterns); without this every full collection walks them all, and those pauses were the slowest requests
    in bench/pages.py. Collections still run; they only skip objects that live as long as the process. Under
    gunicorn this runs once in the master, after `--preload` and before the workers fork (`gunicorn.conf.py`),
    so the frozen objects are also never written to by the collector and their memory stays shared.
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every app's views and URL patterns now, not on the first request
    gc.collect()
    gc.freeze()
