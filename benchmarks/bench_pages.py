"""Time to interactive of the Voila pages against a bare one-button notebook.

One Voila server (started by jianfu.server.voila.build_command, as `jianfu serve` does)
serves a temporary folder holding copies of the app notebooks and
benchmarks/bare.ipynb; kernels use a demo database. Headless Chromium opens the
pages in turn, `--runs` times each, every open in a fresh browser context (cold
cache), and the time from navigation until a widget shows is recorded with the
browser tests' own `open_app` (tests.support.browser). Prints medians and the ratio app/bare, measured in
the same run, first with cold kernels (no pool: every open starts a kernel and builds the
page), then on a second server with preheated kernels (a pool per notebook); last, both
ratios side by side. Like `jianfu serve`, the harness writes the project's bytecode before
the server starts (jianfu.server.warmup.compile_bytecode): run from a shell with
PYTHONDONTWRITEBYTECODE=1, cold kernels would otherwise compile some hundred modules
each time (about 0.15 s per open here), which no installed server does.

The cold ratios move by ±0.15 between runs on a shared two-core machine (load 2–5):
compare runs taken at the same load, several of them. What keeps pages light at start
is guarded without timing by tests/test_page_imports.py (libraries not loaded) and
tests/test_cold_pages.py (no widget model a page does not show, tabs built on first use).

With ``--make-app`` the server runs with the settings `make app` (`jianfu serve`)
uses: kernels culled after 600 s idle, checked every 60 s. In preheated mode the
memory the pools hold (RSS of the pooled kernels, before anyone opens a page)
is printed too, so the cost of preheating by default can be stated.

Run: .venv/bin/python benchmarks/bench_pages.py [notebook[=selector] ...]
     [--runs N] [--pool N] [--no-preheat | --only-preheat] [--cull SECONDS] [--make-app]
Notebooks default to every notebook in notebooks/; a selector names the element
that means "interactive" (default: the first widget shown).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from jianfu.paths import NOTEBOOKS
from tests.support.browser import (
    CHROMIUM,
    chromium,
    is_outside,
    leave,
    open_app,
    watch_requests,
)
from tests.support.demo import build_demo_file, sqlite_url
from tests.support.servers import start_server

BARE = Path(__file__).resolve().parent / "bare.ipynb"
DEFAULT_READY = "#rendered_cells .jupyter-widgets"
READY = {
    "index.ipynb": ".jianfu-app-cards",
    "bare.ipynb": "button.widget-button",
    "01_entry.ipynb": ".jf-entry",
    "02_compare.ipynb": ".jf-compare",
}


def parse_targets(args: list[str]) -> dict[str, str]:
    names = args or sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
    targets = {}
    for arg in names:
        name, _, selector = arg.partition("=")
        name = Path(name).name
        targets[name] = selector or READY.get(name, DEFAULT_READY)
    return targets


def demo_database(folder: Path) -> str:
    """URL of a demo database in `folder` (built there unless it is already)."""
    return sqlite_url(build_demo_file(folder))


def measure(browser, server, targets: dict[str, str], runs: int, pause: float):
    """Open the pages alternately; seconds to interactive per notebook.

    A page that fails (cell error, timeout) is reported and left out afterwards.
    """
    times: dict[str, list[float]] = {name: [] for name in targets}
    for _ in range(runs):
        for name, selector in targets.items():
            if name not in times:
                continue
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            seen = watch_requests(context)
            page = context.new_page()
            try:
                times[name].append(open_app(page, server.render_url(name), selector))
            except Exception as exc:
                shot = Path(tempfile.gettempdir()) / f"bench-{name}.png"
                page.screenshot(path=str(shot))
                print(f"  {name} failed, left out: {str(exc).splitlines()[0]} (screenshot {shot})")
                del times[name]
            finally:
                leave(page)
                context.close()
            outside = [url for url in seen if is_outside(url)]
            if outside:
                raise SystemExit(f"{name} asked for outside addresses: {outside}")
            time.sleep(pause)  # let the previous kernel (or pool refill) settle
    return times


def pool_memory(server) -> list[float]:
    """RSS in MB of each kernel running under the server, largest first."""
    import psutil

    kernels = [
        p
        for p in psutil.Process(server.process.pid).children(recursive=True)
        if "ipykernel" in " ".join(p.cmdline())
    ]
    return sorted((p.memory_info().rss / 1024 / 1024 for p in kernels), reverse=True)


def report(title: str, times: dict[str, list[float]]) -> dict[str, float]:
    """Print the table of one mode; its ratios median/bare-median by notebook."""
    if "bare.ipynb" not in times:
        raise SystemExit("the bare baseline failed: no ratios")
    bare = statistics.median(times["bare.ipynb"])
    print(f"\n{title}")
    print(f"{'notebook':<22}{'median s':>10}{'min s':>8}{'max s':>8}{'× bare':>9}")
    ratios = {}
    for name, values in times.items():
        median = statistics.median(values)
        ratios[name] = median / bare
        print(
            f"{name:<22}{median:>10.2f}{min(values):>8.2f}{max(values):>8.2f}{median / bare:>9.2f}"
        )
    return ratios


def summary(ratios: dict[str, dict[str, float]]) -> None:
    """Cold and preheated ratios side by side (each against the bare page of its own server)."""
    modes = list(ratios)
    print("\npage-interactive time × the bare page on the same server")
    print(f"{'notebook':<22}" + "".join(f"{m:>16}" for m in modes))
    names = dict.fromkeys(n for r in ratios.values() for n in r if n != "bare.ipynb")
    for name in names:
        cells = [
            f"{ratios[m][name]:>16.2f}" if name in ratios[m] else f"{'failed':>16}" for m in modes
        ]
        print(f"{name:<22}" + "".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook[=ready selector]")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pool", type=int, default=2, help="preheated kernels per notebook")
    parser.add_argument("--no-preheat", action="store_true")
    parser.add_argument("--only-preheat", action="store_true")
    parser.add_argument("--pause", type=float, default=1.0)
    parser.add_argument(
        "--make-app",
        action="store_true",
        help="the settings of `make app`: cull after 600 s, checked every 60 s",
    )
    parser.add_argument(
        "--cull",
        type=int,
        default=60,
        help="kernel idle timeout (s); pooled kernels older than this race the culler "
        "unless the notebook calls jianfu_widgets.common.wait_for_visitor()",
    )
    args = parser.parse_args(argv)

    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    targets = {"bare.ipynb": READY["bare.ipynb"], **parse_targets(args.notebooks)}
    modes = [("cold", 0)] + ([] if args.no_preheat else [("preheated", args.pool)])
    if args.only_preheat:
        modes = modes[1:]
    ratios: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="jianfu-bench-") as tmp:
        folder = Path(tmp) / "notebooks"
        folder.mkdir()
        shutil.copy(BARE, folder)
        for name in targets:
            if name != "bare.ipynb":
                shutil.copy(NOTEBOOKS / name, folder)
        db_url = demo_database(Path(tmp))
        print(f"pages: {', '.join(targets)}; {args.runs} opens each, alternating")
        with chromium() as browser:
            for title, pool in modes:
                server = start_server(
                    Path(tmp) / f"data-{pool}",
                    db_url=db_url,
                    notebooks_dir=folder,
                    preheat=pool,
                    # closed pages keep their kernels: reclaim them during the run
                    cull_idle_timeout=600 if args.make_app else args.cull,
                    cull_interval=60 if args.make_app else 5,
                )
                try:
                    if pool:
                        time.sleep(5 + 3 * len(targets))  # let the pools fill
                        sizes = pool_memory(server)
                        each = ", ".join(f"{mb:.0f}" for mb in sizes)
                        print(
                            f"  pools hold {len(sizes)} kernels, {sum(sizes):.0f} MB RSS ({each})"
                        )
                    times = measure(browser, server, targets, args.runs, args.pause)
                finally:
                    server.stop()
                    kept = Path(tempfile.gettempdir()) / f"bench-voila-pool{pool}.log"
                    shutil.copy(server.log_path, kept)
                    print(f"  server log: {kept}")
                label = f" kernels (pool of {pool} per notebook)" if pool else " kernels (no pool)"
                ratios[title] = report(title + label, times)
    summary(ratios)
    return 0


if __name__ == "__main__":
    sys.exit(main())
