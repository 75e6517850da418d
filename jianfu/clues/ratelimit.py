"""A per-client limit on reports and look-ups, kept in memory only (nothing is stored).

The client key (the connection's address) never leaves this process: it is kept
only as long as its window, and never written to the database or a log.
"""

from __future__ import annotations

import time
from collections import deque


class RateLimit:
    """At most ``most`` events per client in any ``window`` seconds."""

    def __init__(self, most: int, window: float, clock=time.monotonic):
        self.most, self.window, self.clock = most, window, clock
        self.seen: dict[str, deque[float]] = {}

    def allow(self, client: str) -> bool:
        """Count one event for ``client``; False when it is over the limit (not counted)."""
        now = self.clock()
        self._forget(now)
        times = self.seen.setdefault(client, deque())
        if len(times) >= self.most:
            return False
        times.append(now)
        return True

    def _forget(self, now: float) -> None:
        for client in list(self.seen):
            times = self.seen[client]
            while times and now - times[0] >= self.window:
                times.popleft()
            if not times:
                del self.seen[client]
