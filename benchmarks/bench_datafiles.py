"""Loading the data files in a fresh process: with the validation cache, and without it.

Pages read the catalog (and the participant page a questionnaire and the phrase
bank) as they open. Each row is a new Python process: the import of the loader,
then its first call, in CPU milliseconds and RSS, and whether pydantic was loaded.
"warm" reads the cache the servers fill at start; "cold" validates (the first load
after the file or the code changed).

Run: .venv/bin/python benchmarks/bench_datafiles.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOADERS = {
    "指标目录": ("jianfu.catalog", "load_catalog", ()),
    "问卷（快速版）": ("jianfu.assess.questionnaire", "load_questionnaire", ("quick",)),
    "短语库": ("jianfu.speech.phrasebank", "load_phrasebank", ()),
    "体裁": ("jianfu.speech.genres", "load_genres", ()),
}
PROBE = """
import importlib, json, sys, time
def rss():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) / 1024 for l in f if l.startswith("VmRSS"))
module, name, args = json.loads(sys.argv[1])
r0, c0 = rss(), time.process_time()
load = getattr(importlib.import_module(module), name)
r1, c1 = rss(), time.process_time()
load(*args)
r2, c2 = rss(), time.process_time()
print(json.dumps({"import_ms": 1000 * (c1 - c0), "load_ms": 1000 * (c2 - c1),
                  "load_mb": r2 - r1, "pydantic": "pydantic" in sys.modules}))
"""


def probe(loader: tuple, cache: str | None = None) -> dict:
    """One fresh process; without ``cache``, an empty cache folder of its own (cold)."""
    if cache is None:
        folder = tempfile.mkdtemp(prefix="jianfu-cold-")
        try:
            return probe(loader, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    env = {**os.environ, "JIANFU_CACHE_DIR": cache}
    out = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(loader)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    warm = tempfile.mkdtemp(prefix="jianfu-cache-")
    print(f"{'文件':<12}{'缓存':>6}{'导入 ms':>10}{'首次读取 ms':>14}{'读取 MB':>10}  pydantic")
    for label, loader in LOADERS.items():
        probe(loader, warm)  # fill the cache, as the servers do at start
        for kind in ("warm", "cold"):
            rows = [
                probe(loader, warm if kind == "warm" else tempfile.mkdtemp()) for _ in range(runs)
            ]
            med = {
                k: statistics.median(r[k] for r in rows)
                for k in ("import_ms", "load_ms", "load_mb")
            }
            print(
                f"{label:<12}{kind:>6}{med['import_ms']:>10.1f}{med['load_ms']:>14.1f}"
                f"{med['load_mb']:>10.1f}  {rows[0]['pydantic']}"
            )
    shutil.rmtree(warm, ignore_errors=True)


if __name__ == "__main__":
    main()
