"""Work for writer processes in the concurrency tests (importable by spawned children)."""

from __future__ import annotations

import pandas as pd

from jianfu.store import Store


def import_towns(url: str, n: int) -> str:
    """An "import" that creates the same new units as every other writer, then saves."""
    store = Store(url)
    try:
        for k in range(4):
            frame = pd.DataFrame(
                [(f"新镇{j}", f"{2000 + n}年", "doc_count", 10 * n + k) for j in range(3)],
                columns=["unit", "period", "indicator", "value"],
            )
            store.save_observations(frame, source=f"进程{n}")
        return "ok"
    finally:
        store.engine.dispose()
