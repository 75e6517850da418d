"""Saving a moment after the last keystroke, not on every one."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from jianfu.server.kernel import in_kernel


class Debouncer:
    """Run ``action`` once, ``delay`` seconds after the last ``touch()``.

    Inside a kernel the call is scheduled on its event loop (the thread that runs
    widget handlers, so widgets may be updated); outside one (tests, scripts) it
    runs at once. ``deferred`` overrides the kernel detection.
    """

    def __init__(self, delay: float, action: Callable[[], None], deferred: bool | None = None):
        self._delay = delay
        self._action = action
        self._deferred = in_kernel() if deferred is None else deferred
        self._handle: asyncio.TimerHandle | None = None

    def touch(self) -> None:
        self.cancel()
        try:
            loop = asyncio.get_running_loop() if self._deferred else None
        except RuntimeError:
            loop = None
        if loop is None:
            self._action()
            return
        self._handle = loop.call_later(self._delay, self._fire)

    def flush(self) -> None:
        """Run a pending action now."""
        if self._handle is not None:
            self.cancel()
            self._action()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    @property
    def pending(self) -> bool:
        return self._handle is not None

    def _fire(self) -> None:
        self._handle = None
        self._action()
