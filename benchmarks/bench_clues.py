"""60 phones submitting 问题线索 at once, against plain GETs of the form in the same run.

One public server (`jianfu serve --public`, as tests.support.servers starts it) on a
fresh database; each round, N reporters (tests.support.reporters, one thread each,
each with its own X-Real-IP as nginx would forward it) GET /report together, then
POST their reports together, then look up their 查询码. Printed per round and over
all rounds: p50/p90 of the form GET (the baseline: same server, same clients, same
moment), p50/p90 of the submit, and submit/GET as ratios, per round and over the
rounds after the first (which also opens the server's store); any lost, duplicated
or failed report is printed and makes the exit status 1.

Run: .venv/bin/python benchmarks/bench_clues.py [--people 60] [--rounds 3] [--db-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.support: project root

from tests.support.reporters import (
    PROXY_ENV,
    Reporter,
    check_reporters,
    make_reporters,
    percentile,
    run_reporters,
)
from tests.support.servers import start_public_server


def line(label: str, reporters: list[Reporter]) -> str:
    form = [r.form_seconds for r in reporters if r.form_seconds is not None]
    sent = [r.submit_seconds for r in reporters if r.submit_seconds is not None]
    p50 = [percentile(v, 0.5) * 1000 for v in (form, sent)]
    p90 = [percentile(v, 0.9) * 1000 for v in (form, sent)]
    return (
        f"{label:<9} GET form p50 {p50[0]:7.1f} ms p90 {p90[0]:7.1f} ms | "
        f"submit p50 {p50[1]:7.1f} ms p90 {p90[1]:7.1f} ms | "
        f"ratio p50 {p50[1] / p50[0]:5.2f}x p90 {p90[1] / p90[0]:5.2f}x"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--db-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()
    everyone: list[Reporter] = []
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-clues-") as folder:
        db_url = args.db_url or f"sqlite:///{Path(folder) / 'clues.sqlite'}"
        server = start_public_server(Path(folder) / "server", db_url, preheat=0, env=PROXY_ENV)
        try:
            print(f"{args.people} reporters at once, {args.rounds} rounds, {db_url.split(':')[0]}")
            for round_ in range(1, args.rounds + 1):
                reporters = make_reporters(args.people, f"bench{round_}")
                wall = run_reporters(server.url(), reporters)
                print(line(f"round {round_}", reporters) + f" | wall {wall:5.2f} s")
                everyone += reporters
        finally:
            server.stop()
        if not args.db_url:  # a given database may hold other clues
            problems = check_reporters(db_url, everyone)
    warm = [r for r in everyone if not r.marker.startswith("线索标记bench1-")] or everyone
    print(line("warm", warm))  # round 1 also pays the server's first store and threads
    errors = [f"reporter {r.n}: {r.error}" for r in everyone if r.error]
    for problem in (problems or errors)[:20]:
        print("  " + problem)
    failed = bool(problems or errors)
    print("FAILED" if failed else f"ok: {len(everyone)} reports stored once each, every code found")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
