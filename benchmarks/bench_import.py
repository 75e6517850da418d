"""Import benchmarks, each a ratio against a baseline measured in the same run.

1. A 10,000-row file: validation + preview + atomic save, against bare baselines:
   pandas.read_csv / openpyxl reading the sheet with no checks at all, and one
   executemany INSERT into a bare SQLite table with no upsert logic.
2. Runaway sheets (issue 16, item 11): one stray “x” in column XFD, a footer merged
   across the whole row; each against a clean file of the same row count. Every file
   is imported in a child process, so its peak RSS is its own.

Run: .venv/bin/python benchmarks/bench_import.py [--rows 3000,60000]
"""

from __future__ import annotations

import argparse
import io
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

import openpyxl
import pandas as pd

from jianfu.catalog import load_catalog
from jianfu.dataio.importer import import_file
from jianfu.store import Store
from tests.support.runaway import measure

ROWS = 10_000
REPEAT = 3
RUNAWAY_ROWS = (3_000, 60_000)


def best_of(fn, repeat: int = REPEAT) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def sample_files(catalog) -> dict[str, bytes]:
    parts = {i.numerator for i in catalog if i.is_ratio}  # a part may not exceed its whole
    codes = [i.code for i in catalog if i.kind == "count" and i.code not in parts][:10]
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


def ten_thousand_rows(catalog) -> None:
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
        store.preview(frame)
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


# ---------------------------------------------------------------- runaway sheets


KINDS = {"clean": {}, "xfd": {"stray": "XFD{half}"}, "footer": {"footer": True}}


def measure_kind(kind: str, rows: int) -> dict:
    """One runaway file imported in a child process (tests.support.runaway)."""
    options = {
        k: v.format(half=rows // 2) if isinstance(v, str) else v for k, v in KINDS[kind].items()
    }
    found = measure(rows, **options)
    state, detail = found["outcome"]
    found["outcome"] = (
        f"imported {detail} values" if state == "imported" else f"refused: {len(detail)} message(s)"
    )
    return found


def runaway_sheets(row_counts) -> None:
    print("runaway sheets: each against a clean file of the same row count (child processes)")
    for rows in row_counts:
        found = {kind: measure_kind(kind, rows) for kind in KINDS}
        clean = found["clean"]
        for kind in KINDS:
            f = found[kind]
            print(
                f"{rows:6d} rows {kind:6s} {f['kb']:7.0f} KB | wall {f['seconds']:6.2f} s "
                f"(x{f['seconds'] / clean['seconds']:4.2f}) | CPU {f['cpu']:6.2f} s "
                f"(x{f['cpu'] / clean['cpu']:4.2f}) | peak RSS {f['mb']:5.0f} MB | {f['outcome']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default=",".join(map(str, RUNAWAY_ROWS)))
    args = parser.parse_args()
    ten_thousand_rows(load_catalog())
    runaway_sheets(int(n) for n in args.rows.split(","))


if __name__ == "__main__":
    main()
