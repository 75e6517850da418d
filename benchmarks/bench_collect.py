"""填报任务 benchmark: 300 returned files of 40 indicators each, imported in one batch,
against importing the same 12,000 values as one long .xlsx file (the importer + one save).

Both runs start from the same database (300 units, 7 custom indicators added to the
33 entered catalog ones, one round) in a child process of their own, so each peak
memory (VmHWM growth while importing) is its own. The files are made beforehand.

Run: .venv/bin/python benchmarks/bench_collect.py [--files 300]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INDICATORS = 40
PERIOD = "2025年"


def open_store(folder: Path, units: int):
    """The shared starting point: units, custom indicators up to 40, one round."""
    from jianfu.collect.rounds import Collect
    from jianfu.store import Store

    store = Store(f"sqlite:///{folder / 'bench.sqlite'}")
    collect = Collect(store)
    names = [f"监测点{n:03d}" for n in range(units)]
    if "bench" in collect.round_names():
        return collect, collect.round("bench")
    for n in range(INDICATORS - sum(1 for i in store.catalog() if i.entered)):
        store.add_custom_indicator({"name": f"自定义指标{n}", "category": "成效",
                                    "measure": "项", "direction": "越少越好", "kind": "count"})  # fmt: skip
    for name in names:
        store.add_unit(name, "乡镇")
    codes = [i.code for i in store.catalog() if i.entered][:INDICATORS]
    return collect, collect.new_round("bench", PERIOD, names, codes)


def make_files(folder: Path, units: int) -> None:
    from openpyxl import load_workbook

    from jianfu.collect.outgoing import round_templates

    collect, rnd = open_store(folder, units)
    catalog = collect.store.catalog()
    parts = {i.numerator for i in catalog if i.is_ratio}  # a part may not exceed its whole

    def value(code: str, n: int) -> float:
        if catalog[code].kind == "percent":
            return 50 + n % 40
        return 1 + n % 5 if code in parts else 100 + n

    returned = folder / "returned"
    returned.mkdir()
    long_rows = []
    for n, (name, data) in enumerate(round_templates(collect, rnd, combined=False).items()):
        wb = load_workbook(io.BytesIO(data))
        ws = wb["填报"]
        for row, code in enumerate(rnd.indicators, start=2):
            ws.cell(row=row, column=5, value=value(code, n))
            long_rows.append(
                [ws.cell(row=row, column=c).value for c in (1, 2, 3)] + [value(code, n)]
            )
        wb.save(returned / name)
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["单位", "时期", "指标", "数值"])
    for row in long_rows:
        wb.active.append(row)
    wb.save(folder / "long.xlsx")
    collect.store.engine.dispose()


def child(mode: str, folder: Path, units: int) -> dict:
    from jianfu.collect.batch import import_files
    from jianfu.collect.incoming import from_paths
    from jianfu.dataio.importer import import_file

    collect, rnd = open_store(folder, units)
    base = high_water_kb()
    start = time.perf_counter()
    if mode == "batch":
        report = import_files(collect, rnd, from_paths([folder / "returned"]))
        outcome = report.summary()
    else:
        data = (folder / "long.xlsx").read_bytes()
        result = import_file(data, "long.xlsx", collect.store.catalog())
        outcome = collect.store.save_observations(result.observations).summary()
    seconds = time.perf_counter() - start
    values = len(collect.store.observations())
    return {"seconds": seconds, "peak_mb": (high_water_kb() - base) / 1024, "values": values,
            "outcome": outcome}  # fmt: skip


def high_water_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    raise RuntimeError("no VmHWM")


def run(mode: str, folder: Path, units: int) -> dict:
    work = folder / mode
    subprocess.run(["cp", "-r", str(folder / "files"), str(work)], check=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(work), "--files", str(units)],
        capture_output=True, text=True, env=env,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]), args.files)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "files").mkdir()
        start = time.perf_counter()
        make_files(folder / "files", args.files)
        print(f"{args.files} files × {INDICATORS} indicators made in "
              f"{time.perf_counter() - start:.1f} s (not timed below)")  # fmt: skip
        batch, long = run("batch", folder, args.files), run("long", folder, args.files)
    for name, r in (("batch of files", batch), ("one long file", long)):
        print(f"{name:15s} {r['seconds']:7.2f} s  peak +{r['peak_mb']:6.1f} MB  "
              f"{r['values']} values  {r['outcome']}")  # fmt: skip
    print(f"ratio batch/long: time {batch['seconds'] / long['seconds']:.1f}×, "
          f"peak memory {batch['peak_mb'] / max(long['peak_mb'], 0.1):.1f}×")  # fmt: skip


if __name__ == "__main__":
    main()
