"""What the facilitator is told on 交给发言稿: the drafting app's own test, as a value."""

import pytest

from jianfu.assess.handoff import findings_for_draft, handover_gap
from jianfu.assess.store import AssessStore


@pytest.fixture
def store(tmp_path):
    store = AssessStore(f"sqlite:///{tmp_path / 'assess.sqlite'}")
    store.create_session("abc", "三月学习研讨", organiser="示例县委办")
    yield store
    store.engine.dispose()


def submit(store, n: int, value: int = 2) -> None:
    sid = store.draft("abc", f"token-number-{n:08d}").submission_id
    answers = {f"q0{k}": value for k in range(1, 10)} | {"g01": 3, "overall": 5}
    store.save("abc", store.session("abc").round, sid, answers, submit=True)


@pytest.mark.parametrize(
    ("people", "gap"),
    [
        (0, "目前提交不足5人"),
        (4, "目前提交不足5人"),
        (5, ""),
    ],
)
def test_the_gap_is_empty_exactly_when_the_draft_cites_the_session(store, people, gap):
    for n in range(people):
        submit(store, n)
    session = store.session("abc")
    assert handover_gap(store, session) == gap
    cited = findings_for_draft(store.url, unit="示例县委办", engine=store.engine)
    assert bool(cited) == (gap == "")


def test_a_room_with_nothing_heavy_to_cite_is_told_so(store):
    """Five people, every area at its best level and no problem chosen: nothing to quote."""
    for n in range(5):
        submit(store, n, value=1)
    session = store.session("abc")
    gap = handover_gap(store, session)
    assert findings_for_draft(store.url, unit="示例县委办", engine=store.engine) == []
    assert gap == "结果中暂无可引用的负担较重方面或突出问题"
