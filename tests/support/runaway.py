"""Runaway sheets (issue 16, item 11), imported in a child process that reports its cost.

``runaway_file`` builds a wide sheet of many rows, with one stray cell far to the
right or a footer merged across the whole row; ``measure`` imports it in a fresh
Python (``python -m tests.support.runaway``) so that its peak RSS is its own, and
returns seconds, CPU seconds, MB and the outcome. Used by tests/test_runaway_sheets.py
and benchmarks/bench_import.py.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def runaway_file(rows: int, stray: str = "", footer: bool = False) -> bytes:
    """``rows`` data rows; ``stray``: a cell such as "XFD1500" holding “x”; ``footer``:
    a note merged across the whole row (A to XFD) under the table."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(["单位", "时期", "发文数量", "会议数量"])
    for n in range(rows):
        ws.append([f"单位{n % 500}", f"{2000 + n // 500}年", n % 50, n % 7])
    if stray:
        ws[stray] = "x"
    if footer:
        ws.cell(rows + 2, 1, "注：本表数据截至年底")
        ws.merge_cells(start_row=rows + 2, start_column=1, end_row=rows + 2, end_column=16384)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def measure(rows: int, stray: str = "", footer: bool = False) -> dict:
    """Import the file in a child process: seconds, cpu, mb (peak), grew_mb, kb, outcome.

    outcome: ["imported", number of values] or ["refused", [messages]].
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.runaway", str(rows), stray, "1" if footer else "0"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    return json.loads(done.stdout)


def _child(rows: int, stray: str, footer: bool) -> dict:
    from jianfu.catalog import load_catalog
    from jianfu.dataio.importer import import_file
    from jianfu.errors import ValidationError

    data = runaway_file(rows, stray, footer)
    catalog = load_catalog()
    base = _high_water_kb()
    start, cpu = time.perf_counter(), time.process_time()
    try:
        outcome = ["imported", len(import_file(data, "a.xlsx", catalog).observations)]
    except ValidationError as exc:
        outcome = ["refused", [str(p) for p in exc.problems]]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _high_water_kb()
    return {
        "seconds": seconds,
        "cpu": cpu,
        "mb": peak / 1024,
        "grew_mb": (peak - base) / 1024,
        "kb": len(data) / 1024,
        "outcome": outcome,
    }


def _high_water_kb() -> int:
    """This process's own peak (VmHWM); ru_maxrss carries the parent's over fork and exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc/self/status")


if __name__ == "__main__":
    print(json.dumps(_child(int(sys.argv[1]), sys.argv[2], sys.argv[3] == "1")))
