"""Room simulator: N participants over Voila's protocol on a fresh public 自评 server.

Starts `jianfu serve --public` (tests.support.servers) on a temporary database
with the pool it would have for the room, lets the room take part as a real one
does (arrivals over ~10 s, about two minutes of answering, some reloads mid-way,
pages closed after submitting; ``--instant`` for everyone at once and no
thinking), then checks every stored field of every participant
(tests.support.room). Exits non-zero on any loss, duplicate or error; the last
line is always

    room: N participants, stored N, lost 0, duplicated 0, errors 0, submit-to-result p90 X.XX s

Run: .venv/bin/python benchmarks/room_sim.py [--people 60] [--pool N] [--max-kernels N]
     [--instant] [--reload-share 0.15] [--answer-seconds 90,150]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from tests.support import room as sim
from tests.support.servers import start_public_server

CODE = "room"


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--pool", type=int, help="preheated kernels (default: as jianfu serve)")
    parser.add_argument("--max-kernels", type=int, help="kernel cap (default: as jianfu serve)")
    parser.add_argument("--instant", action="store_true", help="everyone at once, no thinking")
    parser.add_argument("--reload-share", type=float, default=sim.Behaviour.reload_share)
    parser.add_argument("--answer-seconds", default="90,150", help="each one answers in lo,hi s")
    parser.add_argument("--arrive-within", type=float, default=sim.Behaviour.arrive_within)
    return parser.parse_args(argv)


def behaviour(args: argparse.Namespace) -> sim.Behaviour:
    if args.instant:
        return sim.Behaviour.instant()
    low, high = (float(x) for x in args.answer_seconds.split(","))
    return sim.Behaviour(
        arrive_within=args.arrive_within, answer_seconds=(low, high), reload_share=args.reload_share
    )


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from jianfu.assess.questionnaire import load_questionnaire
    from jianfu.assess.store import AssessStore
    from jianfu.server import public

    form = load_questionnaire("quick")
    pool = public.default_preheat(args.people) if args.pool is None else args.pool
    print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="jianfu-room-") as tmp:
        db_url = f"sqlite:///{tmp}/room.sqlite"
        AssessStore(db_url).create_session(CODE, "模拟现场")
        server = start_public_server(
            Path(tmp),
            db_url=db_url,
            preheat=pool,
            room=args.people,
            max_kernels=args.max_kernels,
            wait_for_pool=pool,
            pool_timeout=900,
        )
        print(f"public server with a warm pool of {pool}; the room comes in")
        room = sim.make_room(form, args.people, behaviour(args), secrets.token_hex(3))
        loads: list[float] = []
        try:
            wall = sim.run_sync(_measured(server.url(), form, room, behaviour(args), loads))
        finally:
            server.stop()
        tally = sim.check_room(db_url, CODE, form, room)
    print(
        f"load average (1 min) during the run: mean {sum(loads) / len(loads):.2f},"
        f" max {max(loads):.2f} ({len(loads)} samples)"
    )
    print("\n".join(sim.summary(room, tally, wall)))
    return 0 if tally.ok else 1


async def _measured(url: str, form, room, how: sim.Behaviour, loads: list[float]) -> float:
    """The room, with the machine's load average sampled every 5 s meanwhile."""

    async def sample() -> None:
        while True:
            await asyncio.sleep(5)
            loads.append(os.getloadavg()[0])

    loads.append(os.getloadavg()[0])

    sampler = asyncio.create_task(sample())
    try:
        return await sim.run_room(url, CODE, form, room, how)
    finally:
        sampler.cancel()


if __name__ == "__main__":
    sys.exit(main())
