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
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pandas as pd

from jianfu.catalog import load_catalog
from jianfu.dataio.importer import import_file
from jianfu.errors import ValidationError
from jianfu.store import Store

ROWS = 10_000
REPEAT = 3
RUNAWAY_ROWS = (3_000, 60_000)
RUNAWAY = ("clean", "xfd", "footer")


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


def runaway_file(kind: str, rows: int) -> bytes:
    """A wide sheet of ``rows`` rows; "xfd": plus one “x” in column XFD halfway down;
    "footer": plus a note merged across the whole row (A to XFD) under the table."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["单位", "时期", "发文数量", "会议数量"])
    for n in range(rows):
        ws.append([f"单位{n % 500}", f"{2000 + n // 500}年", n % 50, n % 7])
    if kind == "xfd":
        ws[f"XFD{rows // 2}"] = "x"
    if kind == "footer":
        ws.cell(rows + 2, 1, "注：本表数据截至年底")
        ws.merge_cells(start_row=rows + 2, start_column=1, end_row=rows + 2, end_column=16384)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def child(kind: str, rows: int) -> None:
    """Import one runaway file in this process and print what it cost, as JSON."""
    data = runaway_file(kind, rows)
    catalog = load_catalog()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = f"imported {len(import_file(data, 'a.xlsx', catalog).observations)} values"
    except ValidationError as exc:
        outcome = f"refused: {len(exc.problems)} message(s)"
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"wall": wall, "cpu": cpu, "mb": peak, "kb": len(data) / 1024, "outcome": outcome}
        )
    )


def measure(kind: str, rows: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def runaway_sheets(row_counts) -> None:
    print("runaway sheets: each against a clean file of the same row count (child processes)")
    for rows in row_counts:
        found = {kind: measure(kind, rows) for kind in RUNAWAY}
        clean = found["clean"]
        for kind in RUNAWAY:
            f = found[kind]
            print(
                f"{rows:6d} rows {kind:6s} {f['kb']:7.0f} KB | wall {f['wall']:6.2f} s "
                f"(x{f['wall'] / clean['wall']:4.2f}) | CPU {f['cpu']:6.2f} s "
                f"(x{f['cpu'] / clean['cpu']:4.2f}) | peak RSS {f['mb']:5.0f} MB | {f['outcome']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default=",".join(map(str, RUNAWAY_ROWS)))
    parser.add_argument("--child", nargs=2, metavar=("KIND", "ROWS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], int(args.child[1]))
        return
    ten_thousand_rows(load_catalog())
    runaway_sheets(int(n) for n in args.rows.split(","))


if __name__ == "__main__":
    main()
