"""Deriving indicators from 100,000 register rows, against a plain pandas groupby of the same rows.

Rows are spread over 20 units and a year, a third each 发文, 会议, 督检考. Three timings:
the registers' own derivation on rows in memory (``derive_rows``, every unit), the
same reading the rows from the database first (``derive``: SQLite, JSON values),
and the baseline: one pandas groupby per kind computing the same figures from a
DataFrame already in memory. Both sides must give the same numbers.

Run: .venv/bin/python benchmarks/bench_registers.py [--rows 100000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from jianfu.registers.derive import derive, derive_rows
from jianfu.registers.schema import rows as ROWS
from jianfu.registers.store import RegisterStore, Row

UNITS = [f"示例单位{n:02d}" for n in range(20)]
KINDS = ("documents", "meetings", "inspections")


def make_rows(count: int) -> list[Row]:
    out = []
    for n in range(count):
        kind, unit = KINDS[n % 3], UNITS[(n // 3) % len(UNITS)]
        day = date(2024, 1, 1) + timedelta(days=(n * 7) % 366)
        if kind == "documents":
            values = {
                "date": day,
                "doc_no": f"发{n}号" if n % 7 else None,
                "title": f"文件{n}",
                "kind": "正式文件",
                "chars": 1000 + n % 4000,
                "combined": n % 50 == 0,
            }
        elif kind == "meetings":
            values = {
                "date": day,
                "name": f"会议{n}",
                "kind": "专题会",
                "form": "视频" if n % 4 == 0 else "现场",
                "minutes": 30 + n % 90,
                "speech_minutes": 10 + n % 50,
            }
        else:
            values = {
                "date": day,
                "item": f"事项{n}",
                "kind": ("督查", "检查", "考核", "调研")[n % 4],
                "form": "实地" if n % 3 else "材料",
            }
        out.append(Row(n + 1, kind, unit, day, values))
    return out  # fmt: skip


def pandas_figures(frames: dict[str, pd.DataFrame]) -> dict[tuple[str, str], float]:
    """The baseline: the same figures by a groupby per kind."""
    d, m, i = frames["documents"], frames["meetings"], frames["inspections"]
    numbered = d["doc_no"].notna()
    g = pd.DataFrame({
        "doc_count": numbered.groupby(d["unit"]).sum(),
        "doc_unnumbered": (~numbered).groupby(d["unit"]).sum(),
        "doc_avg_chars": d["chars"].where(numbered).groupby(d["unit"]).mean(),
        "meeting_count": m.groupby("unit").size(),
        "meeting_video": m["form"].isin(["视频", "电话"]).groupby(m["unit"]).sum(),
        "speech_main_minutes": m.groupby("unit")["speech_minutes"].max(),
        "meeting_minutes": m.groupby("unit")["minutes"].mean(),
        "inspection_items": i["kind"].isin(["督查", "检查", "考核"]).groupby(i["unit"]).sum(),
        "inspection_visits": (i["kind"].isin(["督查", "检查", "考核"]) & i["form"].eq("实地"))
        .groupby(i["unit"]).sum(),
    })  # fmt: skip
    return {(u, c): float(v) for (u, c), v in g.stack().dropna().items()}


def ours_in_memory(rows: list[Row]) -> dict[tuple[str, str], float]:
    by_unit: dict[str, list[Row]] = {}
    for r in rows:
        by_unit.setdefault(r.unit, []).append(r)
    return {(u, f.code): f.value for u, rs in by_unit.items() for f in derive_rows(rs) if f.code}


def ours_from_store(registers: RegisterStore) -> dict[tuple[str, str], float]:
    return {(u, f.code): f.value for u in UNITS for f in derive(registers, u, "2024年") if f.code}


def fill(registers: RegisterStore, rows: list[Row]) -> None:
    now = datetime.now(UTC)
    records = [
        {"kind": r.kind, "unit": r.unit, "day": r.day, "source": "bench", "updated_at": now,
         "data": json.dumps({k: v.isoformat() if isinstance(v, date) else v
                             for k, v in r.values.items()}, ensure_ascii=False)}
        for r in rows
    ]  # fmt: skip
    with registers.engine.begin() as conn:
        conn.execute(ROWS.insert(), records)


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = make_rows(args.rows)
    frames = {
        k: pd.DataFrame([{"unit": r.unit, **r.values} for r in rows if r.kind == k]) for k in KINDS
    }
    base, expected = timed(lambda: pandas_figures(frames), args.runs)
    mem, got = timed(lambda: ours_in_memory(rows), args.runs)
    assert got.keys() == expected.keys(), "the figures differ from the baseline's"
    assert all(abs(got[k] - expected[k]) < 1e-9 for k in got), "a figure differs"
    with tempfile.TemporaryDirectory() as folder:
        registers = RegisterStore(f"sqlite:///{Path(folder) / 'bench.sqlite'}")
        fill(registers, rows)
        stored, again = timed(lambda: ours_from_store(registers), args.runs)
        registers.engine.dispose()
    assert again == got
    print(f"{args.rows}行台账，{len(UNITS)}个单位，{len(got)}个指标值（与 pandas 结果一致）")
    print(f"{'做法':<28}{'秒':>8}{'倍数':>8}")
    for label, seconds in (
        ("pandas groupby（基准，内存中）", base),
        ("derive_rows（内存中的记录）", mem),
        ("derive（从 SQLite 读出再计算）", stored),
    ):
        print(f"{label:<28}{seconds:>8.3f}{seconds / base:>8.1f}")


if __name__ == "__main__":
    main()
