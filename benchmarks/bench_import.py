"""Import of a 10,000-row file: validation + preview + atomic save, against bare baselines.

Baselines measured in the same run on the same bytes:
- parse: pandas.read_csv / openpyxl reading the sheet, with no checks at all;
- save: one executemany INSERT into a bare SQLite table, with no upsert logic.

Run: .venv/bin/python benchmarks/bench_import.py
"""

from __future__ import annotations

import io
import sqlite3
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

from jianfu.catalog import load_catalog
from jianfu.dataio.importer import import_file, preview
from jianfu.store import Store

ROWS = 10_000
REPEAT = 3


def best_of(fn, repeat: int = REPEAT) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def sample_files(catalog) -> dict[str, bytes]:
    codes = [i.code for i in catalog if i.kind == "count"][:10]
    rows = [["单位", "时期", "指标", "数值", "备注"]] + [
        [f"单位{n // 10}", "2024年", catalog[codes[n % 10]].name, n, ""] for n in range(ROWS)
    ]
    csv = "\n".join(",".join(str(c) for c in r) for r in rows).encode("gbk")
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return {"long.csv": csv, "long.xlsx": buffer.getvalue()}


def bare_parse(name: str, data: bytes) -> object:
    if name.endswith(".csv"):
        return pd.read_csv(io.BytesIO(data), encoding="gbk")
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def bare_save(frame: pd.DataFrame, path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE IF EXISTS t")
        conn.execute("CREATE TABLE t (unit TEXT, period TEXT, indicator TEXT, value REAL)")
        conn.executemany(
            "INSERT INTO t VALUES (?, ?, ?, ?)",
            frame[["unit", "period", "indicator", "value"]].itertuples(index=False),
        )


def main() -> None:
    catalog = load_catalog()
    folder = Path(tempfile.mkdtemp(prefix="jianfu-bench-"))
    print(f"{ROWS} rows, best of {REPEAT}")
    for name, data in sample_files(catalog).items():
        ours, result = best_of(lambda: import_file(data, name, catalog))  # noqa: B023
        base, _ = best_of(lambda: bare_parse(name, data))  # noqa: B023
        print(
            f"{name:10s} read+validate {ours:6.3f} s | bare parse {base:6.3f} s | ratio {ours / base:5.1f}x"
        )
    frame = result.observations

    def fresh_save() -> None:
        db = folder / f"s{time.perf_counter_ns()}.sqlite"
        store = Store(f"sqlite:///{db}", catalog=catalog)
        preview(store.observations(), frame)
        store.save_observations(frame, source="bench")

    ours, _ = best_of(fresh_save)
    base, _ = best_of(lambda: bare_save(frame, folder / "bare.sqlite"))
    print(
        f"save new   preview+upsert {ours:6.3f} s | bare INSERT {base:6.3f} s | ratio {ours / base:5.1f}x"
    )
    store = Store(f"sqlite:///{folder / 'again.sqlite'}", catalog=catalog)
    store.save_observations(frame)
    again, _ = best_of(lambda: store.save_observations(frame))
    print(f"save again (all unchanged) {again:6.3f} s")


if __name__ == "__main__":
    main()
