"""Django's HTTP side under ASGI, with the middleware and the view run in one thread hop per request.

Django's own ASGIHandler runs its middleware in async mode: every MiddlewareMixin middleware then wraps its
process_request and process_response in sync_to_async, so a request of this project (fourteen sync-written
middlewares, sync views) crossed between the event loop and a worker thread about thirty times. Each crossing
copies the context and waits for the GIL; on two busy cores that was most of an empty page's cost
(bench/README.md, "The floor"). Here the whole stack runs as plain synchronous code, as under WSGI, inside a
single sync_to_async per request; the event loop keeps what it is good at: reading the request, sending the
response, and the websockets of the live room (Channels, in lms/asgi.py).
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncStackASGIHandler(ASGIHandler):
    """ASGIHandler whose middleware chain is built in sync mode and entered once, in the request's thread."""

    def load_middleware(self, is_async=False):
        super().load_middleware(is_async=False)

    async def get_response_async(self, request):
        # thread_sensitive: the same per-request thread (ThreadSensitiveContext) as the request_started and
        # request_finished signals, so the database connection is opened and given back in one thread.
        return await sync_to_async(self.get_response, thread_sensitive=True)(request)
