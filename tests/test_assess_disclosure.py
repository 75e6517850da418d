"""No group of fewer than five can be worked out from what is shown (issue 17, item 14).

Showing only groups of five or more is not enough: with 11 answers overall and
the 7 基层 shown, the other 4 follow by subtraction. These tests export the
汇总表 of every view the dashboard offers, collect every group whose results
are shown, and try every subtraction (every combination, in fact: a group of 1–4
people must not lie in the span of the shown groups), with numpy, apart from
the module's own algebra.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from datetime import date

import numpy as np
import pytest

from jianfu.assess.aggregate import Filters, breakdown, summarise
from jianfu.assess.disclosure import DERIVABLE, SMALL, Disclosure
from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.schema import SHOWN
from jianfu.assess.spreadsheets import answer_rows, export_summary
from jianfu.assess.store import Response, Session

ROLES = ("机关", "基层")


@pytest.fixture(scope="module")
def quick():
    return load_questionnaire("quick")


def person(n, round_=1, unit=None, role=None, value=None):
    value = value if value is not None else 1 + n % 5
    answers = {f"q0{k}": 1 + (n + k) % 5 for k in range(1, 10)} | {"g01": 3, "overall": n % 11}
    answers["q01"] = value
    return Response(f"p{n:03d}", round_, unit, role, date(2025, 3, 1), True, SHOWN, answers)


def people(spec):
    """[(count, round, unit, role), ...] -> responses."""
    found, n = [], 0
    for count, round_, unit, role in spec:
        for _ in range(count):
            found.append(person(n, round_, unit, role))
            n += 1
    return found


def session_of(units=(), rounds=1):
    return Session(
        "s1", "测试", "quick", "", True, rounds, True, tuple(units), False, False, date.today()
    )


def views(session):
    """Every filter combination the dashboard offers."""
    rounds = [*range(1, session.round + 1), None]
    units = [None, *session.units]
    roles = [None, *ROLES] if session.ask_role else [None]
    return [Filters(r, u, p) for r in rounds for u in units for p in roles]


def members_of(responses, round_=None, unit="*", role="*"):
    return frozenset(
        r.submission_id
        for r in responses
        if (round_ is None or r.round == round_)
        and (unit == "*" or (r.unit or None) == unit)
        and (role == "*" or (r.role or None) == role)
    )


def shown_groups(quick, session, responses):
    """Member sets of every group whose results any exported 汇总表 shows."""
    shown = set()
    for view in views(session):
        data = export_summary(quick, session, responses, view, "csv").decode("utf-8-sig")
        for part, group, item, _measure, value, _n in list(csv.reader(io.StringIO(data)))[1:]:
            if item != "减负指数" or value == "":
                continue
            if part == "总体":
                shown.add(members_of(responses, view.round, view.unit or "*", view.role or "*"))
                continue
            label = None if group == "未填写" else group
            if part == "按岗位类别":
                shown.add(members_of(responses, view.round, role=label))
            elif part == "按单位":
                shown.add(members_of(responses, view.round, unit=label))
            elif part == "按轮次":
                shown.add(members_of(responses, int(group[1:-1])))
            else:
                raise AssertionError(f"unexpected row {part}")
    return shown


def small_groups_computable(responses, groups, limit=4):
    """Every group of 1..limit people whose indicator lies in the span of ``groups``."""
    ids = [r.submission_id for r in responses]
    if not groups:
        return []
    matrix = np.array([[1.0 if i in g else 0.0 for i in ids] for g in groups])
    _, sv, vt = np.linalg.svd(matrix)
    basis = vt[: int((sv > 1e-9).sum())]
    found = []
    for size in range(1, limit + 1):
        for subset in itertools.combinations(range(len(ids)), size):
            v = np.zeros(len(ids))
            v[list(subset)] = 1
            if np.linalg.norm(v - basis.T @ (basis @ v)) < 1e-7:
                found.append(sorted(ids[k] for k in subset))
    return found


ROOMS = {
    # the issue's room: 11 answers, 7 基层 shown -> the other 4 followed
    "issue": ([(7, 1, None, "基层"), (4, 1, None, "机关")], (), 1),
    "blank role": ([(6, 1, None, "基层"), (5, 1, None, "机关"), (2, 1, None, None)], (), 1),
    "units": (
        [(6, 1, "甲镇", "基层"), (5, 1, "乙镇", "基层"), (3, 1, "丙镇", "机关")],
        ("甲镇", "乙镇", "丙镇"),
        1,
    ),
    "second round started": ([(12, 1, None, "基层"), (3, 2, None, "基层")], (), 2),
    "crossed": (
        [
            (5, 1, "甲镇", "基层"),
            (3, 1, "甲镇", "机关"),
            (5, 1, "乙镇", "基层"),
            (5, 1, "乙镇", "机关"),
        ],
        ("甲镇", "乙镇"),
        1,
    ),
}


@pytest.mark.parametrize("name", ROOMS)
def test_no_group_under_five_follows_from_any_exported_summary(quick, name):
    spec, units, rounds = ROOMS[name]
    responses = people(spec)
    session = session_of(units, rounds)
    shown = shown_groups(quick, session, responses)
    assert shown, "something must still be shown"
    assert small_groups_computable(responses, list(shown)) == []


@pytest.mark.parametrize("seed", range(6))
def test_random_rooms_leak_no_small_group(quick, seed):
    rng = random.Random(seed)
    units = ("甲镇", "乙镇", "丙镇")
    spec = [
        (1, rng.randint(1, 2), rng.choice([*units, None]), rng.choice([*ROLES, None]))
        for _ in range(rng.randint(12, 20))
    ]
    responses = people(spec)
    session = session_of(units, 2)
    shown = shown_groups(quick, session, responses)
    assert small_groups_computable(responses, list(shown)) == []


def test_the_issue_room_keeps_the_total_and_withholds_both_roles(quick):
    responses = people(ROOMS["issue"][0])
    disclosure = Disclosure(responses)
    assert summarise(quick, responses, disclosure=disclosure).index is not None
    rows = {r.group: r for r in breakdown(quick, responses, "role", disclosure=disclosure)}
    assert rows["基层"].suppressed and rows["基层"].withheld == DERIVABLE and rows["基层"].n == 7
    assert rows["机关"].withheld == SMALL and rows["机关"].n == 4
    # the 基层 filter view is withheld too: it is the same group
    jiceng = [r for r in responses if r.role == "基层"]
    assert summarise(quick, jiceng, disclosure=disclosure).withheld == DERIVABLE
    # the same group on its own, with nothing beside it, would be shown
    assert not summarise(quick, jiceng).suppressed


def test_two_groups_of_five_or_more_show_side_by_side(quick):
    responses = people([(6, 1, None, "基层"), (5, 1, None, "机关")])
    rows = breakdown(quick, responses, "role", disclosure=Disclosure(responses))
    assert [(r.group, r.suppressed) for r in rows] == [("基层", False), ("机关", False)]


def test_the_export_says_why_a_group_is_withheld(quick):
    responses = people(ROOMS["issue"][0])
    data = export_summary(quick, session_of(), responses, Filters(round=1), "csv")
    text = data.decode("utf-8-sig")
    assert "不足5人，不单独列出" in text
    assert "与其他分组相减可推算出不足5人的结果，不单独列出" in text


def test_answer_sheets_label_only_groups_that_may_be_shown(quick):
    responses = people(ROOMS["issue"][0])
    header, rows = answer_rows(quick, responses, Filters())
    assert len(rows) == 11
    assert {row[header.index("岗位类别")] for row in rows} == {""}  # 7 labelled would give the 4
    both = people([(6, 1, None, "基层"), (5, 1, None, "机关")])
    header, rows = answer_rows(quick, both, Filters())
    assert sorted(row[header.index("岗位类别")] for row in rows) == ["基层"] * 6 + ["机关"] * 5


def test_a_large_session_is_decided_quickly(quick):
    import time

    rng = random.Random(7)
    units = [f"单位{k}" for k in range(20)]
    spec = [(1, rng.randint(1, 2), rng.choice(units), rng.choice(ROLES)) for _ in range(120)]
    start = time.perf_counter()
    Disclosure(people(spec))
    assert time.perf_counter() - start < 2.0


def test_the_draft_hand_off_quotes_no_group_that_gives_away_another(tmp_path):
    from jianfu.assess.handoff import findings_for_draft
    from jianfu.assess.store import AssessStore

    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    store = AssessStore(url)
    store.create_session("abc", "三月学习研讨", organiser="示例县委办", units=["甲镇", "乙镇"])
    for n in range(9):
        sid = store.draft("abc", f"token-number-{n:08d}").submission_id
        answers = {f"q0{k}": 2 for k in range(1, 10)} | {"overall": 5}
        store.save(
            "abc", 1, sid, answers, fields={"unit": "甲镇" if n < 6 else "乙镇"}, submit=True
        )
    assert findings_for_draft(url, unit="示例县委办")  # the whole room: 9 people
    # 甲镇's 6 beside the room's 9 would give away 乙镇's 3
    assert findings_for_draft(url, unit="甲镇") == []
    store.engine.dispose()
