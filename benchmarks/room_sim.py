"""Room simulator: participants who speak Voila's protocol without a browser.

Each simulated participant does what a phone does on the 自评 page: GET the page
(the public server sets their cookie and renders the notebook in a kernel),
open the kernel websocket, ask for the widget states (ipywidgets' control comm),
set every answer through widget comm messages, press 提交 and wait until the
page shows their result (stored in the database before it is shown). 60 of
them fit on this 2-core machine, where 60 browsers would measure the browsers.

Run: .venv/bin/python benchmarks/room_sim.py [--people 60] [--pool N] [--no-pool-run]
It starts the public server (jianfu.server.public) on a temporary database,
once with a preheated pool (default people + 10) and once without, lets
everyone arrive at once, checks the database (everyone stored once, nothing
lost) and prints p50/p90/max per participant. tests/browser/test_room.py runs a
small room with the same code.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

KERNEL_ID = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
DONE_TEXT = "已提交，感谢参与"
BUSY_STATUS = 503


@dataclass
class Timing:
    participant: int
    page: float = 0.0  # seconds from arrival until the page HTML was complete
    widgets: float = 0.0  # ... until the widget states arrived over the websocket
    stored: float = 0.0  # ... until the result showed (answers committed)
    retries: int = 0  # 请稍候 pages seen
    error: str = ""
    answers: dict = field(default_factory=dict)


def answers_for(n: int, items: list[str], overall: str = "overall") -> dict[str, int]:
    """Deterministic answers per participant, so the database can be checked."""
    found = {item: (n + k) % 6 for k, item in enumerate(items)}  # 0 = 不清楚
    found[overall] = n % 11
    return found


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    return json.dumps(
        {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "session": session,
                "username": "room-sim",
                "date": datetime.now(UTC).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
            "channel": "shell",
            "buffers": [],
        }
    )


def _comm_msg(comm_id: str, data: dict, session: str) -> str:
    return _message("comm_msg", {"comm_id": comm_id, "data": data}, session)


async def participant(
    base_url: str,
    code: str,
    n: int,
    answers: dict[str, int],
    timeout: float = 120,
    think: float = 0.0,
) -> Timing:
    """One phone from arrival to stored result; errors are recorded, not raised."""
    import httpx
    from websockets.asyncio.client import connect

    timing = Timing(n, answers=answers)
    start = time.perf_counter()
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            while True:
                reply = await client.get(f"{base_url}?s={code}")
                if reply.status_code != BUSY_STATUS:
                    break
                timing.retries += 1  # the 请稍候 page: retry as its refresh would
                await asyncio.sleep(float(reply.headers.get("Retry-After", "5")))
            reply.raise_for_status()
            timing.page = time.perf_counter() - start
            kernel = KERNEL_ID.search(reply.text)
            if not kernel:
                raise RuntimeError("no kernel id in the page")
            cookies = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        session = uuid.uuid4().hex
        ws_url = (
            base_url.replace("http://", "ws://")
            + f"api/kernels/{kernel.group(1)}/channels?session_id={session}"
        )
        async with connect(ws_url, additional_headers={"Cookie": cookies}, max_size=None) as ws:
            states = await _widget_states(ws, session, timeout)
            timing.widgets = time.perf_counter() - start
            by_class, submit = _find_widgets(states)
            for item, value in answers.items():
                model = by_class.get(f"jf-q-{item}")
                if model is None:
                    raise RuntimeError(f"question {item} not on the page")
                await ws.send(
                    _comm_msg(
                        model,
                        {
                            "method": "update",
                            "state": {"index": _index(states[model], value)},
                            "buffer_paths": [],
                        },
                        session,
                    )
                )
                if think:
                    await asyncio.sleep(think)
            await ws.send(
                _comm_msg(submit, {"method": "custom", "content": {"event": "click"}}, session)
            )
            await _wait_for_text(ws, DONE_TEXT, timeout)
            timing.stored = time.perf_counter() - start
    except Exception as exc:  # reported in the summary
        timing.error = f"{type(exc).__name__}: {exc}"[:200]
    return timing


async def _widget_states(ws, session: str, timeout: float) -> dict[str, dict]:
    """All widget models of the page, as the ipywidgets front-end asks for them."""
    control = uuid.uuid4().hex
    await ws.send(
        _message(
            "comm_open",
            {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
            session,
            metadata={"version": "1.0.0"},  # ipywidgets' control protocol
        )
    )
    await ws.send(_comm_msg(control, {"method": "request_states"}, session))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msg = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if msg.get("msg_type") == "comm_msg":
            data = msg["content"].get("data", {})
            if data.get("method") == "update_states":
                return {k: v["state"] for k, v in data["states"].items()}
    raise TimeoutError("no widget states")


def _find_widgets(states: dict[str, dict]) -> tuple[dict[str, str], str]:
    by_class: dict[str, str] = {}
    submit = None
    for model_id, state in states.items():
        for cls in state.get("_dom_classes", ()):
            if cls.startswith("jf-q-"):
                by_class[cls] = model_id
        if state.get("_model_name") == "ButtonModel" and state.get("description") == "提交":
            submit = model_id
    if submit is None:
        raise RuntimeError("no 提交 button on the page")
    return by_class, submit


def _index(state: dict, value: int) -> int:
    """ToggleButtons sync an index: 1..5 are the first five options, 0 (不清楚) the sixth."""
    labels = state.get("_options_labels", [])
    if len(labels) == 11:  # the 0–10 overall item
        return value
    return 5 if value == 0 else value - 1


async def _wait_for_text(ws, text: str, timeout: float) -> None:
    """Until a message carries ``text`` (the server's JSON escapes non-ASCII)."""
    forms = (text, json.dumps(text)[1:-1])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        raw = await asyncio.wait_for(ws.recv(), max(deadline - time.monotonic(), 0.1))
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        if any(form in raw for form in forms):
            return
    raise TimeoutError("the result never showed")


async def run_room(
    base_url: str, code: str, people: int, items: list[str], **kwargs
) -> list[Timing]:
    """Everyone arrives at the same moment."""
    tasks = [participant(base_url, code, n, answers_for(n, items), **kwargs) for n in range(people)]
    return await asyncio.gather(*tasks)


def check_stored(db_url: str, code: str, timings: list[Timing]) -> tuple[int, int, int]:
    """(stored, lost, wrong) against the database: each participant exactly once, answers intact."""
    from jianfu.assess.store import AssessStore

    store = AssessStore(db_url)
    try:
        stored = store.responses(code)
    finally:
        store.engine.dispose()
    wanted = sorted(json.dumps(t.answers, sort_keys=True) for t in timings)
    got = sorted(json.dumps({k: v for k, v in r.answers.items()}, sort_keys=True) for r in stored)
    lost = len([w for w in wanted if w not in got])
    wrong = len(got) - len(set(got)) + len([g for g in got if g not in wanted])
    return len(stored), lost, wrong


def report(title: str, timings: list[Timing], wall: float, stored: tuple[int, int, int]) -> None:
    ok = [t for t in timings if not t.error]
    print(f"\n{title}: {len(timings)} participants, wall {wall:.1f} s")
    print(
        f"  stored {stored[0]}, lost {stored[1]}, duplicated or wrong {stored[2]}, errors {len(timings) - len(ok)}"
    )
    for t in timings:
        if t.error:
            print(f"  participant {t.participant}: {t.error}")
    if not ok:
        return
    for name in ("page", "widgets", "stored"):
        values = sorted(getattr(t, name) for t in ok)
        p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
        print(
            f"  {name:<8} p50 {statistics.median(values):6.2f} s   p90 {p90:6.2f} s   max {values[-1]:6.2f} s"
        )
    print(f"  请稍候 retries: {sum(t.retries for t in timings)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument(
        "--pool", type=int, default=None, help="preheated kernels (default people + 10)"
    )
    parser.add_argument("--no-pool-run", action="store_true", help="only the run with the pool")
    parser.add_argument("--max-kernels", type=int, default=None)
    args = parser.parse_args(argv)

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
    from jianfu.assess.questionnaire import load_questionnaire
    from jianfu.assess.store import AssessStore
    from jianfu.server import public

    harness = _harness()
    form = load_questionnaire("quick")
    items = [i.id for i in form.items] + [form.overall.id]
    pool = args.pool if args.pool is not None else args.people + public.SPARE_KERNELS
    runs = [(f"with a preheated pool of {pool}", pool)]
    if not args.no_pool_run:
        runs.append(("without a pool (cold kernels)", 0))
    for title, size in runs:
        with tempfile.TemporaryDirectory(prefix="jianfu-room-") as tmp:
            db_url = f"sqlite:///{tmp}/room.sqlite"
            AssessStore(db_url).create_session("room", "模拟现场")
            server = harness.start_public_server(
                Path(tmp),
                db_url=db_url,
                preheat=size,
                max_kernels=args.max_kernels,
                wait_for_pool=size,
                pool_timeout=900,
            )
            try:
                start = time.perf_counter()
                timings = asyncio.run(
                    run_room(server.url(), "room", args.people, items, timeout=300)
                )
                wall = time.perf_counter() - start
            finally:
                server.stop()
            report(title, timings, wall, check_stored(db_url, "room", timings))
    return 0


def _harness():
    """The browser tests' server helpers (tests/browser/conftest.py)."""
    import importlib.util

    from jianfu.paths import PROJECT_ROOT

    path = PROJECT_ROOT / "tests" / "browser" / "conftest.py"
    spec = importlib.util.spec_from_file_location("browser_harness", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


if __name__ == "__main__":
    sys.exit(main())
