"""The 对比 page: time to the first chart on screen, and how it holds up with many units.

First chart: one Voila server (as `jianfu serve` starts it, no preheating) on the
demo database; headless Chromium opens 02_compare.ipynb ``--runs`` times, each in
a fresh context, and records the time from navigation to interactive (the app
shows) and to the first chart drawn (an ``svg`` inside ``.jf-chart``). When no
chart is on screen once the page is interactive, the 图表 tab is clicked at once,
as a facilitator would. ``--present`` opens the presentation view
(``?present=1``), which shows a chart without a click.

Scale: for each size in ``--units`` (default 100, 500, 2000) a SQLite database
of generated units (tests/support/scale_data.py: every category, two years) is built,
then measured in this process — reading the store, building the app on its
default selection, drawing its first chart, and selecting every unit (table and
the first chart) — and in the browser (page interactive, first chart).

Run: .venv/bin/python benchmarks/bench_compare_page.py [--runs N] [--present] [--preheat N]
     [--units 100,500,2000] [--no-first-chart] [--no-scale] [--no-browser-scale]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from tests.support.browser import (
    CHROMIUM,
    chromium,
    is_outside,
    open_app,
    watch_requests,
)
from tests.support.demo import build_demo_file, sqlite_url
from tests.support.scale_data import fill_store
from tests.support.servers import start_server

APP = ".jf-compare"
CHART = ".jf-chart svg"


def open_to_chart(browser, url: str, timeout: float = 120) -> tuple[float, float]:
    """Seconds from navigation to interactive, and to the first chart drawn."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    seen = watch_requests(context)
    page = context.new_page()
    try:
        start = time.perf_counter()
        ready = open_app(page, url, APP, timeout=timeout)
        if not page.locator(CHART).count():
            tab = page.locator(".lm-TabBar-tab", has_text="图表")
            if tab.count() and not page.locator(".jf-charts-placeholder, .jf-chart").count():
                tab.first.click()
            elif tab.count():
                tab.first.click()
        page.locator(CHART).first.wait_for(state="visible", timeout=timeout * 1000)
        chart = time.perf_counter() - start
    finally:
        context.close()
    outside = [u for u in seen if is_outside(u)]
    if outside:
        raise SystemExit(f"outside requests: {outside}")
    return ready, chart


def first_chart(browser, tmp: Path, runs: int, present: bool, preheat: int) -> None:
    server = start_server(
        tmp / f"data-demo-{preheat}",
        db_url=sqlite_url(build_demo_file(tmp / "demo")),
        preheat=preheat,
    )
    query = "?present=1" if present else ""
    pause = 15 if preheat else 1  # a taken pooled kernel is replaced (and warmed) before the next
    try:
        time.sleep(pause if preheat else 0)
        ready, chart = [], []
        for _ in range(runs):
            r, c = open_to_chart(browser, server.render_url("02_compare.ipynb") + query)
            ready.append(r)
            chart.append(c)
            time.sleep(pause)
    finally:
        server.stop()
    view = "presentation view" if present else "page"
    kernels = f"pool of {preheat}" if preheat else "cold kernels"
    print(f"\n对比 {view}, demo data, {runs} opens (1920×1080, {kernels})")
    print(f"  interactive   median {statistics.median(ready):.2f} s  (min {min(ready):.2f})")
    print(f"  first chart   median {statistics.median(chart):.2f} s  (min {min(chart):.2f})")


def timed(func):
    start = time.perf_counter()
    value = func()
    return value, time.perf_counter() - start


def in_process(store) -> dict[str, float]:
    """Store read, app build, first chart, and every unit selected, in this process."""
    from jianfu_widgets.compare import CompareApp

    out = {}
    _, out["read store"] = timed(store.observations)
    app, out["build app"] = timed(lambda: CompareApp(store))
    _, out["first chart"] = timed(lambda: app.open_tab(2))
    units = app.options("units")
    # the 图表 tab is open: selecting redraws the chart on screen (or all of them, before)
    _, out["all units: table+chart"] = timed(lambda: app.choose(units=tuple(units)))
    if app.message:
        print(f"    message: {app.message}")
    view = getattr(app, "charts", None)
    if view is not None:  # one chart at a time: time each of the others
        for name in view.names[1:]:
            _, out[f"all units: {name}"] = timed(lambda n=name: view.choose(choice=n))
    return out


def scale(browser, tmp: Path, sizes: list[int], use_browser: bool) -> None:
    from jianfu.store import Store

    print("\n对比 page with many units (SQLite; times in seconds)")
    for n in sizes:
        url = f"sqlite:///{tmp / f'scale-{n}.sqlite'}"
        store = Store(url)
        _, fill = timed(lambda store=store, n=n: fill_store(store, n))
        times = in_process(store)
        store.engine.dispose()
        line = "  ".join(f"{k} {v:.2f}" for k, v in times.items())
        print(f"  {n:>5} units (filled in {fill:.1f} s): {line}")
        if use_browser:
            server = start_server(tmp / f"data-{n}", db_url=url)
            try:
                ready, chart = open_to_chart(browser, server.render_url("02_compare.ipynb"))
            finally:
                server.stop()
            print(
                f"  {n:>5} units in the browser: interactive {ready:.2f}  first chart {chart:.2f}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--present", action="store_true", help="open the presentation view")
    parser.add_argument(
        "--preheat", type=int, default=0, help="preheated kernels (make app uses 1)"
    )
    parser.add_argument("--units", default="100,500,2000")
    parser.add_argument("--no-first-chart", action="store_true")
    parser.add_argument("--no-scale", action="store_true")
    parser.add_argument("--no-browser-scale", action="store_true")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} not found: apt-get install chromium", file=sys.stderr)
        return 1
    sizes = [int(n) for n in args.units.split(",") if n.strip()]
    with tempfile.TemporaryDirectory(prefix="jianfu-bench-") as tmp, chromium() as browser:
        if not args.no_first_chart:
            first_chart(browser, Path(tmp), args.runs, args.present, args.preheat)
        if not args.no_scale:
            scale(browser, Path(tmp), sizes, not args.no_browser_scale)
    return 0


if __name__ == "__main__":
    sys.exit(main())
