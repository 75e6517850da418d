"""The room simulator must be able to fail (tests.support.room): it checks every field of
every participant, counts losses and duplicates, refuses an incomplete form, and keeps
reading its socket while it thinks."""

from __future__ import annotations

import asyncio
import json
import math
import re

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import serve

from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.store import AssessStore, submission_id
from tests.support import room as sim

FORM = load_questionnaire("quick")
LAST_LINE = re.compile(
    r"^room: \d+ participants, stored \d+, lost \d+, duplicated \d+, errors \d+, "
    r"submit-to-result p90 (\d+\.\d\d|nan) s$"
)


def store_row(store: AssessStore, person, token: str, **changes) -> None:
    row = sim.expected_row(FORM, person) | changes
    role = row.pop("role")
    sid = submission_id(token, "sim", 1)
    store.save("sim", 1, sid, row, fields={"role": role}, submit=True)


def nothing(store, room):
    pass


def change_a_scale_answer(store, room):
    store_row(store, room[0], room[0].token, q03=5 if room[0].choices["q03"] != "完全符合" else 1)


def store_twice(store, room):
    store_row(store, room[1], "another-browser-token-0001")


def store_a_stranger(store, room):
    stranger = sim.make_room(FORM, 1, sim.Behaviour.instant(), "other")[0]
    store_row(store, stranger, "a-stranger-token-00000001")


def under_another_cookie(store, room):
    store_row(store, room[2], "not-this-participants-token")


@pytest.mark.parametrize(
    ("mutate", "lost", "tally", "blamed"),
    [
        (nothing, None, (3, 0, 0, 0), ""),
        (nothing, 0, (2, 1, 0, 1), "participant 0: not stored"),
        (change_a_scale_answer, None, (3, 0, 0, 1), "stored fields differ: q03"),
        (store_twice, None, (3, 0, 1, 0), ""),
        (store_a_stranger, None, (3, 0, 0, 1), "belong to nobody here"),
        (under_another_cookie, 2, (3, 0, 0, 1), "submission id"),
    ],
)
def test_the_check_finds_every_loss_duplicate_and_wrong_field(
    tmp_path, mutate, lost, tally, blamed
):
    url = f"sqlite:///{tmp_path / 'sim.sqlite'}"
    store = AssessStore(url)
    store.create_session("sim", "模拟")
    room = sim.make_room(FORM, 3, sim.Behaviour.instant(), "t1")
    for n, person in enumerate(room):
        person.token = f"participant-token-{n:08d}"
        if n != lost:
            store_row(store, person, person.token)
    mutate(store, room)
    store.engine.dispose()
    found = sim.check_room(url, "sim", FORM, room)
    assert (found.stored, found.lost, found.duplicated, found.errors) == tally
    assert found.ok is (tally == (3, 0, 0, 0))
    assert blamed in "\n".join(found.problems)


def test_every_participant_is_tagged_uniquely_and_answers_every_kind_of_question():
    room = sim.make_room(FORM, 80, sim.Behaviour(), "run1")
    tags = {p.choices[FORM.comment.id] for p in room}
    assert len(tags) == 80  # unique beyond 66 people, unlike matching rows by their answers
    kinds = set().union(*(p.choices for p in room))
    assert {"role", FORM.overall.id, FORM.problems.id, FORM.comment.id} <= kinds
    assert {i.id for i in FORM.items} <= kinds
    assert 0 < sum(p.reload_at is not None for p in room) < 80  # some reload mid-way


def test_the_default_room_is_a_real_one():
    real = sim.Behaviour()
    assert real.answer_seconds[0] >= 60 and real.reload_share > 0 and real.close_after


def test_a_page_without_the_whole_form_is_an_error():
    states = {
        "a": {"_model_name": "ToggleButtonsModel", "_dom_classes": ["jf-q-q01"]},
        "b": {"_model_name": "ButtonModel", "description": "提交"},
    }
    with pytest.raises(RuntimeError, match="never arrived complete: missing role, q02"):
        sim.read_form(states, FORM)


def test_the_last_line_has_a_fixed_form():
    room = sim.make_room(FORM, 2, sim.Behaviour.instant(), "t2")
    room[0].submit_to_result, room[1].submit_to_result = 0.5, 1.234
    lines = sim.summary(room, sim.Tally(2, stored=2), wall=3.0)
    assert LAST_LINE.match(lines[-1])
    assert lines[-1].endswith("errors 0, submit-to-result p90 1.23 s")
    assert math.isnan(sim.p90([]))
    assert sim.p90([float(n) for n in range(1, 11)]) == 9.0


@pytest.mark.slow
def test_a_thinking_participant_keeps_reading_its_socket():
    """Unread messages stop the client reading; its pongs go unseen and the server drops it."""
    assert sim.run_sync(_flood_while_thinking(read=True)) == "still here"
    assert sim.run_sync(_flood_while_thinking(read=False)) == "dropped"


async def _flood_while_thinking(read: bool) -> str:
    async def flood(ws):
        for n in range(400):
            await ws.send(json.dumps({"n": n, "pad": "x" * 4000}))
        await asyncio.sleep(1.5)
        await ws.send("still here")
        await ws.wait_closed()

    async with serve(flood, "127.0.0.1", 0, ping_interval=0.2, ping_timeout=0.6) as server:
        port = server.sockets[0].getsockname()[1]
        page = sim.Page(None, "http://127.0.0.1/", "k", timeout=10)
        page.ws = await connect(f"ws://127.0.0.1:{port}/")
        marker = page.expect("still here")
        if read:
            page.start_reading()
        await asyncio.sleep(2.0)  # thinking
        if not read:
            page.start_reading()
        try:
            await asyncio.wait_for(marker, 3)
            return "still here"
        except (ConnectionError, TimeoutError):
            return "dropped"
        finally:
            await page.ws.close()


def test_the_benchmark_fails_when_anyone_is_lost(monkeypatch, capsys):
    """benchmarks/room_sim.py: non-zero exit, and the verdict as its last line."""
    from benchmarks import room_sim

    class NoServer:
        def url(self) -> str:
            return "http://127.0.0.1:9/"

        def stop(self) -> None:
            pass

    async def nobody_answers(*args, **kwargs) -> float:
        return 0.0

    monkeypatch.setattr(room_sim, "start_public_server", lambda *a, **k: NoServer())
    monkeypatch.setattr(sim, "run_room", nobody_answers)
    assert room_sim.main(["--people", "3", "--instant"]) == 1
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == (
        "room: 3 participants, stored 0, lost 3, duplicated 0, errors 3, submit-to-result p90 nan s"
    )


@pytest.mark.parametrize("nodes", [1, 2, 3])
def test_the_county_benchmark_pools_hold_each_nodes_share(nodes):
    """benchmarks/bench_county.py: a node's pool covers its share of the room plus two
    standard deviations of the cookie hash's spread; the cap leaves room for the
    reloads; the pool is kept full until the room comes (room = pool)."""
    from benchmarks.bench_county import sizes

    size = sizes(120, nodes, 0.15)
    spread = math.sqrt(120 * (1 / nodes) * (1 - 1 / nodes))
    assert size.pool >= 120 / nodes + 2 * spread
    assert size.cap >= size.pool + 120 * 0.15 / nodes
    assert size.room == size.pool
