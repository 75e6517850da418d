"""Who gets a kernel on the public 自评 server, and when its pool is refilled.

Bookkeeping only (no Voila, no tornado), so the rules are tested with a fake
clock; jianfu.server.voila_public feeds them what Voila knows.

- The cap counts every kernel alive or starting, the pool's included. A visitor
  comes in when a pooled kernel is ready or the cap leaves room for a new one;
  otherwise they wait in line, in arrival order, on the 请稍候 page, which shows
  their place and asks again every few seconds. A place is kept while its page
  keeps asking, and a newcomer never passes anyone in line.
- The pool is refilled only with what the room can still need (the expected
  size minus the people already in, plus a few for reloads), a couple of kernels
  at a time, and only once nobody has opened a page or sent an answer for a
  while: a kernel start costs about 1.5 s of CPU, and refills that land while
  the room presses 提交 made every confirmation wait (issue 19).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

COME_IN = 0


@dataclass
class WaitingLine:
    """Visitors over the cap, first come first served.

    ``free`` is how many visitors could be given a kernel right now. The first
    ``free`` people in line are let in when they ask again; a newcomer comes
    straight in only if that leaves a kernel after everyone already waiting.
    """

    expire: float = 30.0  # seconds a place is kept without the page asking
    clock: Callable[[], float] = time.monotonic
    _asked: dict[str, float] = field(default_factory=dict)  # insertion order = arrival order

    def __len__(self) -> int:
        self._prune()
        return len(self._asked)

    def enter(self, who: str, free: int) -> int:
        """COME_IN (and leave the line), or the visitor's 1-based place in line."""
        place = self.place(who, free)
        if place == COME_IN:
            self._asked.pop(who, None)
        return place

    def place(self, who: str, free: int) -> int:
        """Like `enter`, but an admitted visitor keeps their place until they come in."""
        self._prune()
        if who in self._asked:
            self._asked[who] = self.clock()
            index = list(self._asked).index(who)
            return COME_IN if index < free else index + 1
        if len(self._asked) < free:
            return COME_IN
        self._asked[who] = self.clock()
        return len(self._asked)

    def _prune(self) -> None:
        oldest = self.clock() - self.expire
        for who in [w for w, asked in self._asked.items() if asked < oldest]:
            del self._asked[who]


@dataclass(frozen=True)
class RefillPlan:
    """How many pooled kernels to start now."""

    pool_size: int  # the pool before the session (--preheat)
    room: int  # people expected (--room)
    spare: int = 10  # kept for reloads and late-comers once the room is in
    quiet: float = 10.0  # seconds without a page opened or an answer sent
    at_once: int = 2  # kernel starts in flight at the same time

    def target(self, arrived: int) -> int:
        """Pool size still worth keeping once ``arrived`` people came in."""
        return min(self.pool_size, max(self.room - arrived, 0) + self.spare)

    def starts(
        self, *, arrived: int, pooled: int, starting: int, occupied: int, cap: int, idle: float
    ) -> int:
        """Kernels to start now; ``pooled`` counts the pool's kernels, ready or starting."""
        if idle < self.quiet:
            return 0
        wanted = self.target(arrived) - pooled
        return max(0, min(wanted, self.at_once - starting, cap - occupied))
