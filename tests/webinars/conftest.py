import asyncio

import pytest


@pytest.fixture
async def room_hub_cleanup():
    """Stop the room hub of the test's event loop (its background tasks) when an async test ends."""
    yield
    from webinars import hub

    running = hub._hubs.get(asyncio.get_running_loop())
    if running is not None:
        await running.stop()
