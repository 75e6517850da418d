"""A room of phones reporting 问题线索 at once, over plain HTTP (no browser, no kernel).

Each simulated reporter does what a phone does on /report of `jianfu serve --public`:
GET the form (its ``_xsrf`` cookie), POST a report carrying a unique marker, read
the 查询码 on 已收到, then look the code up at /report/status. Everyone GETs the form
at the same moment and POSTs at the same moment (two barriers): the worst case of
a meeting told “请现在扫码反映”.

Every reporter comes from 127.0.0.1; the rate limit counts clients, so each one is
given its own address the way nginx forwards it (``X-Real-IP``), which the server
believes only when started with JIANFU_TRUSTED_PROXIES=127.0.0.1, as deploy/ does.
Used by tests/test_clues_room.py and benchmarks/bench_clues.py.
"""

from __future__ import annotations

import math
import re
import threading
import time
from dataclasses import dataclass, field

import requests

from jianfu.clues.page import RECEIVED
from jianfu.server.report import REAL_IP, TRUSTED_PROXIES_ENV

PROXY_ENV = {TRUSTED_PROXIES_ENV: "127.0.0.1"}  # the server, as behind deploy/'s nginx
CODE = re.compile(r'id="code">([A-Z0-9-]{14})<')
PENDING_SAID = "待核实"


@dataclass
class Reporter:
    n: int
    marker: str  # written into the account: finds this reporter's row
    address: str  # the client as nginx names it
    code: str = ""
    form_seconds: float | None = None  # GET /report, all at once
    submit_seconds: float | None = None  # POST /report, all at once
    lookup_ok: bool = False
    statuses: list[int] = field(default_factory=list)
    error: str = ""


def make_reporters(count: int, run: str) -> list[Reporter]:
    return [
        Reporter(n, f"线索标记{run}-{n:03d}", f"10.77.{n // 250}.{n % 250 + 1}")
        for n in range(count)
    ]


def report(base: str, reporter: Reporter, together: threading.Barrier, timeout: float) -> None:
    """One phone: form, report, 查询码, look-up; errors are recorded, not raised."""
    session = requests.Session()
    session.headers[REAL_IP] = reporter.address
    try:
        together.wait(timeout)
        reporter.form_seconds, form = _timed(session.get, base + "report", timeout=timeout)
        reporter.statuses.append(form.status_code)
        data = _fields(reporter, session.cookies.get("_xsrf", ""))
        together.wait(timeout)
        reporter.submit_seconds, sent = _timed(
            session.post, base + "report", data=data, timeout=timeout
        )
        reporter.statuses.append(sent.status_code)
        found = CODE.search(sent.text)
        if sent.status_code != 200 or RECEIVED not in sent.text or not found:
            raise RuntimeError(f"no 查询码 (HTTP {sent.status_code})")
        reporter.code = found.group(1)
        reporter.lookup_ok = _look_up(session, base, reporter, timeout)
    except Exception as exc:  # counted by check
        reporter.error = f"{type(exc).__name__}: {exc}"[:300]
        if isinstance(exc, threading.BrokenBarrierError):
            return
        together.abort()  # the others must not wait for this one


def _fields(reporter: Reporter, xsrf: str) -> dict[str, str]:
    return {
        "category": "报表台账",
        "imposed_by": "某县统计局",
        "what": f"同一张表本月要求填报三次。{reporter.marker}",
        "when": "2026年11月",
        "hours": "3",
        "_xsrf": xsrf,
    }


def _look_up(session: requests.Session, base: str, reporter: Reporter, timeout: float) -> bool:
    form = session.get(base + "report/status", timeout=timeout)
    reporter.statuses.append(form.status_code)
    data = {"code": reporter.code, "_xsrf": session.cookies.get("_xsrf", "")}
    looked = session.post(base + "report/status", data=data, timeout=timeout)
    reporter.statuses.append(looked.status_code)
    # the reporter reads the status, never the account (not even their own)
    return (
        looked.status_code == 200
        and PENDING_SAID in looked.text
        and reporter.marker not in looked.text
    )


def _timed(call, *args, **kwargs):
    start = time.perf_counter()
    answer = call(*args, **kwargs)
    return time.perf_counter() - start, answer


def run_reporters(base: str, reporters: list[Reporter], timeout: float = 120) -> float:
    """Everyone reports at once, one thread each; the wall time in seconds."""
    together = threading.Barrier(len(reporters))
    threads = [
        threading.Thread(target=report, args=(base, r, together, timeout), daemon=True)
        for r in reporters
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout * 4)
    return time.perf_counter() - start


def check_reporters(db_url: str, reporters: list[Reporter]) -> list[str]:
    """What went wrong: each report stored exactly once, distinct codes, every look-up, no 5xx."""
    from jianfu.clues.store import ClueStore

    store = ClueStore(db_url)
    try:
        accounts = [c.what for c in store.clues(merged=True)]
    finally:
        store.engine.dispose()
    problems = [f"reporter {r.n}: {r.error}" for r in reporters if r.error]
    for r in reporters:
        stored = sum(r.marker in account for account in accounts)
        if stored != 1:
            problems.append(f"reporter {r.n}: stored {stored} times")
        if r.code and not r.lookup_ok:
            problems.append(f"reporter {r.n}: the look-up did not show 待核实")
        if any(status >= 500 for status in r.statuses):
            problems.append(f"reporter {r.n}: HTTP {r.statuses}")
    codes = [r.code for r in reporters if r.code]
    if len(set(codes)) != len(reporters):
        problems.append(f"{len(set(codes))} distinct codes for {len(reporters)} reporters")
    if len(accounts) != len(reporters):
        problems.append(f"{len(accounts)} clues stored for {len(reporters)} reporters")
    return problems


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)) - 1, 0)] if ordered else math.nan
