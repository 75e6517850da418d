"""Pausing the cyclic garbage collector around bulk container building."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small containers.

    Hundreds of thousands of new lists and dicts (one per compared row) otherwise
    trigger repeated full collections over the whole heap, which cost more than the
    comparison itself. Callers build no reference cycles inside the block. The
    previous state is restored, so nesting and a caller's own ``gc.disable()`` hold.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
