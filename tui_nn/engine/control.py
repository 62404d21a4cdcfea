"""Cooperative pause and stop, shared between the training thread and whoever drives it."""

from __future__ import annotations

import threading
import time


class Control:
    """Flags the training loop checks between batches. Safe to use from any thread."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._requests: list[tuple[str, float]] = []
        self._lock = threading.Lock()

    def steer(self, what: str, value: float = 1.0) -> None:
        """Ask for a change before the next batch: ("lr", factor) multiplies the learning rate,
        ("stop_at_epoch_end", _) ends the run when the current epoch does."""
        with self._lock:
            self._requests.append((what, value))

    def has_requests(self) -> bool:
        """Whether a request waits; read without the lock (a list's length is read atomically), so
        the training loop's check costs nearly nothing."""
        return bool(self._requests)

    def take_requests(self) -> list[tuple[str, float]]:
        with self._lock:
            requests, self._requests = self._requests, []
        return requests

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # wake a paused loop so it can see the stop

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def wait_while_paused(self) -> float:
        """Block while paused (until resumed or stopped); return the seconds spent waiting."""
        if self._running.is_set():
            return 0.0
        started = time.perf_counter()
        self._running.wait()
        return time.perf_counter() - started
