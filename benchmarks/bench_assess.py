"""The 自评 participant page against a bare one-button notebook, and rooms of participants.

Measured in one run, each against its baseline from the same run:

1. time to interactive in headless Chromium, cold kernels and preheated, of
   notebooks/04_assess.ipynb (ready = the form is filled in from the database,
   ``.jf-assess-ready``) against benchmarks/bare.ipynb on the same Voila server,
   opened alternately (the method of bench_pages.py);
2. the kernel memory (RSS, and USS: what the process alone holds) behind each
   open page, cold and preheated; the goal is a preheated participant kernel
   within 1.3× the RSS of the bare page;
3. the room simulator (benchmarks/room_sim.py, tests.support.room): N
   participants at a human pace over Voila's protocol on a fresh public server;
4. ten real Chromium pages on the preheated public server, all answering and
   submitting.

Run: .venv/bin/python benchmarks/bench_assess.py [--runs 5] [--people 60] [--browsers 10]
     [--skip tti,memory,room,browsers]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

import room_sim  # benchmarks/ is on the path when this file runs
from bench_pages import report

from jianfu.assess.store import AssessStore
from jianfu.paths import NOTEBOOKS
from tests.support import room as sim
from tests.support.browser import chromium, is_outside, open_app, watch_requests
from tests.support.servers import start_public_server, start_server

HERE = Path(__file__).resolve().parent
GOAL = 1.3  # a preheated participant kernel within 1.3x the bare page's RSS (issue 19)

BARE = HERE / "bare.ipynb"
PAGES = {
    "bare.ipynb": ("", "button.widget-button"),
    "04_assess.ipynb": ("?s=bench", ".jf-assess-ready"),
}


def page_folder(tmp: Path) -> Path:
    folder = tmp / "notebooks"
    folder.mkdir()
    shutil.copy(BARE, folder)
    shutil.copy(NOTEBOOKS / "04_assess.ipynb", folder)
    return folder


def bench_db(tmp: Path, code: str = "bench") -> str:
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    store = AssessStore(url)
    if store.find_session(code) is None:
        store.create_session(code, "基准测试")
    store.engine.dispose()
    return url


def open_times(browser, server, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    for _ in range(runs):
        for name, (query, ready) in PAGES.items():
            context = browser.new_context(viewport={"width": 390, "height": 844})
            seen = watch_requests(context)
            page = context.new_page()
            try:
                times[name].append(open_app(page, server.render_url(name) + query, ready))
            finally:
                context.close()
            outside = [u for u in seen if is_outside(u)]
            if outside:
                raise SystemExit(f"{name} asked for outside addresses: {outside}")
            time.sleep(1.0)
    return times


def kernel_memory(browser, server) -> dict[str, tuple[float, float]]:
    """MB (rss, uss) of the kernel behind each page, found by the kernel id in the page."""
    import psutil

    found = {}
    for name, (query, ready) in PAGES.items():
        context = browser.new_context()
        page = context.new_page()
        open_app(page, server.render_url(name) + query, ready)
        time.sleep(2)  # let the kernel settle after the widget handshake
        kernel_id = sim.KERNEL_ID.search(page.content()).group(1)
        kernels = [
            p
            for p in psutil.Process(server.process.pid).children(recursive=True)
            if f"kernel-{kernel_id}" in " ".join(p.cmdline())
        ]
        if len(kernels) != 1:
            raise SystemExit(f"expected the kernel {kernel_id} of {name}, found {len(kernels)}")
        info = kernels[0].memory_full_info()
        found[name] = (info.rss / 2**20, info.uss / 2**20)
        context.close()
    return found


def report_memory(title: str, memory: dict[str, tuple[float, float]]) -> None:
    bare_rss, bare_uss = memory["bare.ipynb"]
    print(f"\nkernel memory, MB ({title})")
    for page_name, (rss, uss) in memory.items():
        print(
            f"  {page_name:<18} RSS {rss:6.1f} ({rss / bare_rss:.2f}× bare)"
            f"   USS {uss:6.1f} ({uss / bare_uss:.2f}× bare)"
        )
    if "preheated" in title:
        ratio = memory["04_assess.ipynb"][0] / bare_rss
        verdict = "within" if ratio <= GOAL else "OVER"
        print(
            f"  preheated participant kernel: {ratio:.2f}× the bare page's RSS ({verdict} {GOAL}×)"
        )


def browsers_room(browser, server, count: int) -> None:
    """``count`` Chromium pages arrive together, answer every item and submit."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    contexts = [browser.new_context(viewport={"width": 390, "height": 844}) for _ in range(count)]
    pages = [c.new_page() for c in contexts]
    labels = ["完全不符合", "不太符合", "说不准", "比较符合", "完全符合"]
    start = time.perf_counter()
    ready, done = [], []
    try:
        for page in pages:
            page.goto(server.url("?s=bench"), wait_until="commit")
        for n, page in enumerate(pages):
            try:
                page.wait_for_selector(".jf-assess-ready", state="visible", timeout=300000)
            except PlaywrightTimeout:
                shot = Path(tempfile.gettempdir()) / f"bench-room-{n}.png"
                page.screenshot(path=str(shot))
                print(f"  page {n} not interactive after 300 s (screenshot {shot})")
                kept = Path(tempfile.gettempdir()) / "bench-room-server.log"
                kept.write_text(server.log(), encoding="utf-8")
                print(f"  server log: {kept}")
                raise
            ready.append(time.perf_counter() - start)
        for n, page in enumerate(pages):
            for k in range(1, 10):
                page.locator(f".jf-q-q0{k}").get_by_role(
                    "button", name=labels[(n + k) % 5], exact=True
                ).click()
            page.locator(".jf-q-g01").get_by_role("button", name="说不准", exact=True).click()
            page.locator(".jf-q-overall").get_by_role(
                "button", name=str(n % 11), exact=True
            ).click()
            page.get_by_role("button", name="提交", exact=True).click()
        for page in pages:
            try:
                page.get_by_text("已提交，感谢参与").wait_for(timeout=120000)
                done.append(time.perf_counter() - start)
            except PlaywrightTimeout:
                pass
    finally:
        for context in contexts:
            context.close()
    print(f"\n{count} Chromium pages on the preheated public server (one browser, same 2 cores)")
    print(f"  interactive: p50 {statistics.median(ready):.2f} s, max {max(ready):.2f} s")
    if done:
        print(f"  all answered and submitted: {len(done)}/{count}, last at {max(done):.2f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--skip", default="", help="comma-separated: tti,memory,room,browsers")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="jianfu-bench-assess-") as name:
        tmp = Path(name)
        folder = page_folder(tmp)
        db_url = bench_db(tmp)
        with chromium() as browser:
            for title, pool in (("cold kernels", 0), ("preheated, pool of 2 per page", 2)):
                if {"tti", "memory"} <= skip:
                    continue
                server = start_server(
                    tmp / f"data-{pool}",
                    db_url=db_url,
                    notebooks_dir=folder,
                    preheat=pool,
                    cull_idle_timeout=60,
                    cull_interval=5,
                )
                try:
                    if pool:
                        time.sleep(15)
                    if "memory" not in skip:
                        report_memory(title, kernel_memory(browser, server))
                    if "tti" not in skip:
                        times = open_times(browser, server, args.runs)
                        report(f"time to interactive, {title}", times)
                finally:
                    server.stop()
            if "browsers" not in skip:
                public = start_public_server(
                    tmp / "public",
                    db_url=db_url,
                    preheat=args.browsers + 2,
                    wait_for_pool=args.browsers + 2,
                    pool_timeout=600,  # the room arrives once the pool is warm
                )
                try:
                    browsers_room(browser, public, args.browsers)
                finally:
                    public.stop()
    if "room" not in skip:
        return room_sim.main(["--people", str(args.people)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
