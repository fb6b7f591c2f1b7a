"""Django's HTTP side under ASGI, with everything synchronous about a request done in one thread hop.

Django's own ASGIHandler runs its middleware in async mode: every MiddlewareMixin middleware then wraps its
process_request and process_response in sync_to_async, and the request_started signal, the view and the
response's close() each take a hop of their own. A request of this project (fourteen sync-written middlewares,
sync views) crossed between the event loop and a worker thread about thirty times; each crossing copies the
context and waits for the GIL, and on two busy cores that was most of an empty page's cost (bench/README.md,
"The floor"). Here the request_started signal, the middleware stack and the view run as plain synchronous
code, as under WSGI, in one sync_to_async per request; a response that is already built (every page, not a
file download) is closed in that same call, which sends request_finished and hands the database connection
back. The event loop keeps what it is good at: reading the request, sending the response, and the websockets
of the live room (Channels, in lms/asgi.py).

The synchronous part runs in a *lane*: one thread, kept for the life of the process (Django would start and
join one per request, which cost about half the CPU of an empty page), that takes the requests given to it one
after another, in order of arrival (LMS_HTTP_REQUESTS_AT_ONCE lanes per process, settings; 1 by default).
Python runs one thread at a time: twenty requests in twenty threads only took turns at the interpreter lock,
each switch costing CPU and each request ending later (bench/README.md, "One request at a time per worker"). A
lane also starts its next request as soon as one ends, without the event loop in between: when each request
woke its own thread from the loop and woke the loop again at its end, the core had nothing to run while those
wake-ups crossed (a quarter of the machine idle under load; bench/README.md, "Lanes"). Waiting on the database
no longer overlaps with another request's work in the same process, which is why a deployment runs several
worker processes per core (docs/deploy.md), as with any one-request-per-process Django server; a slow request
(a PDF) holds up its own lane only, and websockets (the live room) are not in a lane at all.

Every thread-sensitive call a request makes goes to its lane's thread (asgiref's ThreadSensitiveContext with the
lane as its executor), so a streamed response (a file download) is read and closed in the thread that opened
its database connection. Nothing carries over from one request to the next: each request runs in its own
context, and the database connection goes back after each one.
"""

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import attrgetter

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.http import FileResponse
from django.urls import set_script_prefix


@dataclass
class Lane:
    """One thread that runs requests' synchronous parts one at a time, in the order they were given."""

    number: int
    thread: ThreadPoolExecutor = field(init=False)
    requests: int = 0  # given to this lane and not yet finished

    def __post_init__(self):
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"http-lane-{self.number}")


class SyncStackASGIHandler(ASGIHandler):
    """ASGIHandler whose middleware chain is built in sync mode and entered once, in the request's lane."""

    def __init__(self):
        super().__init__()
        self.lanes = [Lane(number) for number in range(settings.LMS_HTTP_REQUESTS_AT_ONCE)]

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        lane = min(self.lanes, key=attrgetter("requests"))  # the least busy; touched only by the event loop
        lane.requests += 1
        try:
            async with ThreadSensitiveContext(executor=lane.thread):
                await self.handle(scope, receive, send)
        finally:
            lane.requests -= 1

    async def handle(self, scope, receive, send):
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            set_script_prefix(get_script_prefix(scope))
            # thread_sensitive: the request's lane (the executor in __call__), so a streamed response is
            # closed below in the thread that opened its database connection.
            response = await sync_to_async(self.respond, thread_sensitive=True)(scope, body_file)
            if response.streaming:
                await self.stream(response, receive, send)
            else:
                await self.send_response(response, send)
        finally:
            body_file.close()

    def respond(self, scope, body_file):
        """The synchronous part of a request: signal, request object, middleware and view; closed if built."""
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            response = self.get_response(request)
            response._handler_class = self.__class__
            if isinstance(response, FileResponse):
                response.block_size = self.chunk_size
        if not response.streaming:
            response.close()  # the body is in memory; this sends request_finished in this thread
        return response

    async def stream(self, response, receive, send):
        """Send a streamed response (a file download), stopping early if the client goes away."""
        sending = asyncio.create_task(self.send_response(response, send))
        listening = asyncio.create_task(self.listen_for_disconnect(receive))
        await asyncio.wait([sending, listening], return_when=asyncio.FIRST_COMPLETED)
        for task in (listening, sending):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RequestAborted):
                await task
        await sync_to_async(response.close, thread_sensitive=True)()
