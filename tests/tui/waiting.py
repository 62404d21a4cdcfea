"""Waiting in the app's tests for what a test needs, never for a fixed time: the events a training
screen receives, or a condition looked at as the app runs; each wait has a deadline, so a hang
fails with what was awaited instead of stalling the suite."""

import asyncio
import time

#: Seconds: far beyond any wait on a loaded machine.
DEADLINE = 120


class Arrivals(list):
    """A screen's ``events_received`` that wakes whoever waits on it at every event appended."""

    def __init__(self, items=()):
        super().__init__(items)
        self.grew = asyncio.Event()

    def append(self, item):
        super().append(item)
        self.grew.set()


async def until_received(screen, condition, what: str, timeout: float = DEADLINE) -> None:
    """Until ``condition(screen.events_received)`` holds, woken by each event the screen receives
    (the screen appends them as it handles the worker's messages)."""
    if not isinstance(screen.events_received, Arrivals):
        screen.events_received = Arrivals(screen.events_received)
    received = screen.events_received

    async def arrivals():
        while not condition(received):
            received.grew.clear()
            await received.grew.wait()

    try:
        await asyncio.wait_for(arrivals(), timeout)
    except TimeoutError:
        raise AssertionError(f"{what}: not within {timeout} s") from None


async def until(condition, what: str, timeout: float = DEADLINE) -> None:
    """Until ``condition()`` holds, for what no event tells (processes starting): looked at every
    50 ms while the app runs."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.05)
