"""gunicorn's settings for production's pages (docs/deploy.md): `gunicorn` run from the project folder reads this
file by itself. Sync workers, one request at a time each; the live room's websockets (`/ws/`) are uvicorn's.

Environment: GUNICORN_BIND (127.0.0.1:8101), WEB_CONCURRENCY (workers: two per core), GUNICORN_TIMEOUT (30 s).
"""

import os

wsgi_app = "lms.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8101")]
worker_class = "sync"
# Two per core: while one worker waits on the database or renders a PDF, another has the core.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Load Django once in the master; the workers fork from it with everything imported.
preload_app = True
# The proxy in front buffers slow clients; it is the only one allowed to say the scheme was https.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = None  # the proxy keeps the access log; the application logs no personal data itself
errorlog = "-"
# No control socket (gunicornc): systemd starts, reloads and stops the service, and two instances on one machine
# (tests, benchmarks) would otherwise share one socket path.
control_socket_disable = True


def when_ready(server):
    """After `preload_app` loaded the application in the master, before the first worker forks."""
    from django.db import connections

    from lms.startup import freeze_startup_heap

    connections.close_all()  # a connection opened while loading must not be shared by the forked workers
    freeze_startup_heap()
