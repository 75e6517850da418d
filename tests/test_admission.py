"""The public server's line and refill rules (jianfu.server.admission), with a fake clock."""

from __future__ import annotations

import pytest

from jianfu.server.admission import COME_IN, RefillPlan, WaitingLine


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def line(clock):
    return WaitingLine(expire=30, clock=clock)


def test_visitors_over_the_cap_wait_in_arrival_order(line):
    assert [line.enter(who, free=0) for who in "abc"] == [1, 2, 3]
    # one kernel frees: only the first in line may take it, however often the others ask
    assert line.place("c", free=1) == 3
    assert line.enter("b", free=1) == 2
    assert line.enter("a", free=1) == COME_IN
    assert line.enter("c", free=1) == 2  # b is now first, and b's kernel waits for b
    assert line.enter("b", free=1) == COME_IN
    assert line.enter("c", free=1) == COME_IN
    assert len(line) == 0


def test_a_newcomer_never_passes_the_line(line):
    assert line.enter("a", free=0) == 1
    assert line.enter("new", free=1) == 2  # the free kernel is a's
    assert line.enter("late", free=3) == COME_IN  # a and new keep theirs, one is left


def test_being_told_to_come_in_keeps_the_place_until_the_visitor_comes(line):
    line.enter("a", free=0)
    line.enter("b", free=0)
    assert line.place("a", free=1) == COME_IN  # the 请稍候 page reloads now
    assert line.place("b", free=1) == 2
    assert line.enter("a", free=1) == COME_IN
    assert line.place("b", free=1) == COME_IN


def test_a_place_is_kept_only_while_the_page_keeps_asking(line, clock):
    line.enter("gone", free=0)
    line.enter("b", free=0)
    for _ in range(4):
        clock.now += 10
        assert line.place("b", free=0) == (2 if clock.now <= 30 else 1)
    assert line.enter("gone", free=0) == 2  # came back after closing the page: at the end


def test_no_line_when_there_is_room(line):
    assert [line.enter(who, free=5) for who in "abc"] == [COME_IN] * 3
    assert len(line) == 0


PLAN = RefillPlan(pool_size=70, room=60, spare=10, quiet=15, at_once=2)


@pytest.mark.parametrize(
    ("state", "starts"),
    [
        # before the session: fill the pool, two at a time
        ({"arrived": 0, "pooled": 0, "starting": 0}, 2),
        ({"arrived": 0, "pooled": 69, "starting": 1}, 1),
        ({"arrived": 0, "pooled": 70, "starting": 0}, 0),
        # never while the room is answering or arriving
        ({"arrived": 0, "pooled": 0, "starting": 0, "idle": 14.9}, 0),
        ({"arrived": 50, "pooled": 2, "starting": 0, "idle": 3}, 0),
        # only what the room can still need: everyone in, ten kept for reloads
        ({"arrived": 60, "pooled": 10, "starting": 0}, 0),
        ({"arrived": 60, "pooled": 9, "starting": 0}, 1),
        ({"arrived": 75, "pooled": 4, "starting": 0}, 2),
        ({"arrived": 55, "pooled": 14, "starting": 0}, 1),
        # never over the cap
        ({"arrived": 0, "pooled": 10, "starting": 0, "occupied": 100, "cap": 100}, 0),
        ({"arrived": 0, "pooled": 10, "starting": 0, "occupied": 99, "cap": 100}, 1),
    ],
)
def test_refills_start_only_when_quiet_and_only_what_is_still_needed(state, starts):
    state = {"occupied": 0, "cap": 200, "idle": 15.0} | state
    assert PLAN.starts(**state) == starts


@pytest.mark.parametrize(("arrived", "target"), [(0, 70), (30, 40), (60, 10), (90, 10)])
def test_pool_target_shrinks_as_the_room_comes_in(arrived, target):
    assert PLAN.target(arrived) == target
    assert RefillPlan(pool_size=3, room=60).target(arrived) == 3
