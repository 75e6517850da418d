"""County benchmark: a room of 120 over N preheated public-server nodes behind nginx.

Issue 23, county scale, measured: N `jianfu serve --public` nodes (--nodes 1, 2 or 3)
on one PostgreSQL of the test suite's kind (tests/support/pg_server.py; its own
database, tables in the default ``public`` schema) behind nginx running
deploy/nginx/jianfu.conf (participant-cookie hash over the nodes). Each node is
preheated with a pool sized so its share of the room fits (people/N plus two
standard deviations of the hash's spread, plus a few), and the room starts only
once every pool is full. Then the protocol room (tests/support/room.py) arrives
together (within --arrive-within s) and answers at a human pace (--answer-seconds,
reloads mid-way); every stored field is checked afterwards.

Reports: stored / lost / doubled, arrival→form and submit→result p50/p90, the
baseline (one node's bare /healthz, p50 of 20 GETs with the pools full and the room
not yet in) and each figure as a multiple of it, the kernels' memory (RSS and PSS per
participant kernel, preheated and with the whole room in), kernel websockets per node
(nginx's access log) and the load average. Not run by `make test`: it takes minutes
and most of the machine; the CI test is tests/test_county.py.

Run: .venv/bin/python benchmarks/bench_county.py --nodes 2 [--people 120]
     [--answer-seconds 90,150] [--arrive-within 5] [--reload-share 0.15] [--instant]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from tests.support import room as sim
from tests.support.servers import LiveServer, free_port, start_public_server, stop_server

CODE = "county"
EXTRA = 5  # pooled kernels per node beyond the expected share's spread
KERNEL_MB_GUESS = 80  # RSS of a preheated kernel (a trial run); the run measures it
CHANNELS = re.compile(r'"GET /api/kernels/[0-9a-f-]+/channels" 101 \S+ \S+ (127\.0\.0\.1:\d+)')


@dataclass(frozen=True)
class Sizes:
    pool: int  # preheated kernels per node
    cap: int  # --max-kernels per node
    room: int  # --room per node: the pool is kept at its full size before the room


def sizes(people: int, nodes: int, reload_share: float) -> Sizes:
    """A node's share is binomial(people, 1/N): pool its mean + 2 sd + EXTRA; the cap
    leaves room for the reloads' new kernels on top."""
    share = people / nodes
    spread = math.sqrt(people * (1 / nodes) * (1 - 1 / nodes))
    pool = math.ceil(share + 2 * spread) + EXTRA
    cap = pool + math.ceil(people * reload_share / nodes) + EXTRA
    return Sizes(pool, cap, pool)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, choices=(1, 2, 3), required=True)
    parser.add_argument("--people", type=int, default=120)
    parser.add_argument("--answer-seconds", default="90,150", help="each one answers in lo,hi s")
    parser.add_argument("--arrive-within", type=float, default=5.0)
    parser.add_argument("--reload-share", type=float, default=sim.Behaviour.reload_share)
    parser.add_argument("--instant", action="store_true", help="no thinking, no reloads")
    parser.add_argument("--pool-timeout", type=float, default=1500.0, help="s to fill the pools")
    return parser.parse_args(argv)


def behaviour(args: argparse.Namespace) -> sim.Behaviour:
    if args.instant:
        return sim.Behaviour.instant(arrive_within=args.arrive_within, timeout=600.0)
    low, high = (float(x) for x in args.answer_seconds.split(","))
    return sim.Behaviour(arrive_within=args.arrive_within, answer_seconds=(low, high),
                         reload_share=args.reload_share, timeout=600.0)  # fmt: skip


# ---- the setup: PostgreSQL, the nodes, nginx -----------------------------------------


@contextmanager
def database() -> Iterator[str]:
    """A PostgreSQL cluster like the suite's, with its default max_connections (100),
    and a fresh database on it: participant kernels connect per use (jianfu/db.py), so
    a room larger than the limit must fit in it."""
    import psycopg

    from tests.support.pg_server import find_bin_dir, fresh_database, running_server

    bin_dir = find_bin_dir()
    if bin_dir is None:
        sys.exit("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin")
    with running_server(bin_dir) as server:
        with psycopg.connect(server.dsn(), autocommit=True) as admin:
            with fresh_database(server, admin, "county") as url:
                yield url


def check_memory(kernels: int) -> None:
    from jianfu.server.public import RESERVE_MB, available_mb

    need = kernels * KERNEL_MB_GUESS + RESERVE_MB
    if available_mb() < need:
        sys.exit(f"{kernels} kernels need about {need} MB; {available_mb()} MB are available")


@contextmanager
def county_nodes(folder: Path, url: str, count: int, size: Sizes, timeout: float):
    """``count`` public nodes on ``url``, returned once every pool is full."""
    from jianfu_widgets.common import PREHEATED
    from tests.support.servers import wait_for_log

    nodes: list[LiveServer] = []
    try:
        for n in range(count):
            nodes.append(start_public_server(folder / f"node{n + 1}", url, preheat=size.pool,
                                             max_kernels=size.cap, room=size.room))  # fmt: skip
        started = time.perf_counter()
        preheated = PREHEATED.format(page="participant")
        for node in nodes:
            left = max(timeout - (time.perf_counter() - started), 1)
            if not wait_for_log(node, preheated, size.pool, left):
                sys.exit(f"node {node.port}: the pool did not fill in {timeout:.0f} s")
        print(f"{count} node(s) preheated, {size.pool} kernels each, in "
              f"{time.perf_counter() - started:.0f} s", flush=True)  # fmt: skip
        yield nodes
    finally:
        for node in nodes:
            stop_server(node)


@contextmanager
def proxy(folder: Path, nodes: list[LiveServer]) -> Iterator[str]:
    from tests.support.nginx_site import filled_site, running_site

    ports = {"http": free_port(), "https": free_port(), "app": free_port(),
             "public": nodes[0].port}  # fmt: skip
    main = filled_site(folder, ports, nodes=[node.port for node in nodes])
    with running_site(folder, main, ports["https"]) as base:
        yield base


# ---- measuring -----------------------------------------------------------------------


def healthz_p50(node: LiveServer, count: int = 20) -> float:
    """One node's bare /healthz (a request and a database query): the run's yardstick."""
    import httpx

    times = []
    with httpx.Client(timeout=30) as client:
        for _ in range(count):
            start = time.perf_counter()
            client.get(node.url("healthz")).raise_for_status()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def kernel_memory(nodes: list[LiveServer]) -> tuple[int, float, float]:
    """(kernels, mean RSS MB, mean PSS MB) of the nodes' kernel processes."""
    import psutil

    rss, pss = [], []
    for node in nodes:  # kernels run in sessions of their own: found as the node's children
        for proc in psutil.Process(node.process.pid).children(recursive=True):
            try:
                if "ipykernel" not in " ".join(proc.cmdline()):
                    continue
                info = proc.memory_full_info()
            except psutil.Error:
                continue
            rss.append(info.rss / 2**20)
            pss.append(info.pss / 2**20)
    if not rss:
        return 0, math.nan, math.nan
    return len(rss), statistics.mean(rss), statistics.mean(pss)


def watch_room(room: list[sim.Participant], nodes: list[LiveServer], url: str, found: dict):
    """Once everyone has the form (or gave up), measure the kernels with the room in."""
    people = len(room)
    while sum(p.arrival_to_form is not None or bool(p.error) for p in room) < people:
        time.sleep(1)
    found["room"] = kernel_memory(nodes)
    found["connections"] = connections(url)


def connections(url: str) -> int:
    """Connections open on the database (PostgreSQL's pg_stat_activity)."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s"
        return conn.execute(sql, [name]).fetchone()[0] - 1  # not this one


async def with_load(coroutine, loads: list[float]):
    async def sample() -> None:
        while True:
            loads.append(os.getloadavg()[0])
            await asyncio.sleep(5)

    sampler = asyncio.create_task(sample())
    try:
        return await coroutine
    finally:
        sampler.cancel()


def percentiles(room: list[sim.Participant], name: str) -> tuple[float, float, int]:
    values = sorted(v for p in room if (v := getattr(p, name)) is not None)
    if not values:
        return math.nan, math.nan, 0
    return values[len(values) // 2], sim.p90(values), len(values)


# ---- the run -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from jianfu.assess.questionnaire import load_questionnaire
    from jianfu.assess.store import AssessStore
    from jianfu.store import Store

    form = load_questionnaire("quick")
    how = behaviour(args)
    size = sizes(args.people, args.nodes, 0.0 if args.instant else args.reload_share)
    check_memory(size.pool * args.nodes)
    print(f"{args.people} people over {args.nodes} node(s): pool {size.pool}, cap {size.cap} "
          f"per node; load average {os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="jianfu-county-")))
        url = stack.enter_context(database())
        for part in (Store(url), AssessStore(url)):  # as `jianfu upgrade` leaves a database
            part.engine.dispose()
        store = AssessStore(url)
        store.create_session(CODE, "县级基准场次")
        store.engine.dispose()
        nodes = stack.enter_context(county_nodes(folder, url, args.nodes, size, args.pool_timeout))
        base = stack.enter_context(proxy(folder, nodes))
        preheated = kernel_memory(nodes)
        pooled_connections = connections(url)
        baseline = healthz_p50(nodes[0])
        room = sim.make_room(form, args.people, how, run=f"county{args.nodes}")
        found: dict = {}
        threading.Thread(target=watch_room, args=(room, nodes, url, found), daemon=True).start()
        loads: list[float] = []
        wall = sim.run_sync(with_load(sim.run_room(base, CODE, form, room, how), loads))
        tally = sim.check_room(url, CODE, form, room)
        served = Counter(CHANNELS.findall((folder / "jianfu.access.log").read_text()))
    lines = sim.summary(room, tally, wall)
    lines.insert(-1, f"  baseline: one node's bare /healthz p50 {baseline * 1000:.1f} ms")
    for name in ("arrival_to_form", "submit_to_result"):
        p50, p90, count = percentiles(room, name)
        lines.insert(-1, f"  {name.replace('_', '-')}: p50 {p50:.2f} s = {p50 / baseline:.0f}× "
                         f"baseline, p90 {p90:.2f} s = {p90 / baseline:.0f}× baseline")  # fmt: skip
    for label, (kernels, rss, pss) in (("preheated", preheated),
                                       ("room in", found.get("room", (0, math.nan, math.nan)))):  # fmt: skip
        lines.insert(-1, f"  kernels {label}: {kernels}, per kernel RSS {rss:.0f} MB, "
                         f"PSS {pss:.0f} MB (all: PSS {kernels * pss / 1024:.1f} GB)")  # fmt: skip
    lines.insert(-1, f"  PostgreSQL connections: pools full {pooled_connections}, room in "
                     f"{found.get('connections', 'not measured')}")  # fmt: skip
    per_node = ", ".join(f"{n}: {c}" for n, c in sorted(served.items()))
    lines.insert(-1, f"  kernel websockets per node (incl. reloads): {per_node}")
    lines.insert(-1, f"  load average (1 min) during the room: mean "
                     f"{statistics.mean(loads):.2f}, max {max(loads):.2f}; cores "
                     f"{len(os.sched_getaffinity(0))}")  # fmt: skip
    lines[-1] = f"nodes {args.nodes}: " + lines[-1]
    print("\n".join(lines))
    return 0 if tally.ok else 1


if __name__ == "__main__":
    sys.exit(main())
