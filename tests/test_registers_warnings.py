"""Warnings on register rows (each kind), pace against last year, merge suggestions."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from jianfu.registers.merging import merge_suggestions
from jianfu.registers.pace import months_elapsed, pace, project
from jianfu.registers.report import all_warnings
from jianfu.registers.store import RegisterStore
from jianfu.registers.warnings import row_warnings

U = "甲镇"


@pytest.fixture
def registers(tmp_path):
    regs = RegisterStore(f"sqlite:///{tmp_path / 'test.sqlite'}")
    yield regs
    regs.engine.dispose()


def _doc(**values):
    return {"日期": "2026-03-05", "标题": "某文件", "文种": "正式文件", **values}


def _meeting(**values):
    return {
        "日期": "2026-03-05",
        "会议名称": "某会议",
        "会议类型": "专题会",
        "形式": "现场",
        **values,
    }


def _check(**values):
    return {"日期": "2026-03-05", "事项": "某检查", "类别": "检查", "方式": "实地", **values}


CASES = [
    ("发文", _doc(文号="甲发1号", 字数=5001), "long_document", "5001字，超过文件一般不超过5000字"),
    ("发文", _doc(文号="甲发1号", 文种="专项工作文件", 字数=4001), "long_document",
     "超过专项工作文件一般不超过4000字"),
    ("发文", _doc(文种="便笺", 发往层级="村（社区）", 字数=2000), "memo",
     "无文号、以便笺形式发往村（社区），却有2000字"),
    ("发文", _doc(文号="甲发1号", 是否计划内="否"), "unplanned", "不在年度计划内"),
    ("会议", _meeting(主讲话时长=61), "long_speech", "主讲话61分钟，超过主要负责同志讲话一般不超过1小时"),
    ("会议", _meeting(会议时长=241), "long_meeting", "会议时长241分钟，超过一般会议不超过半天"),
    ("会议", _meeting(党政主要负责同志是否都讲话="是"), "both_leaders", "党政主要负责同志都讲话"),
    ("会议", _meeting(是否陪会="是"), "escort", "不得层层陪会"),
    ("督检考", _check(是否要求留痕材料="是"), "traces", "留痕不作为评判工作的标准"),
    ("督检考", _check(类别="调研", 是否要求留痕材料="是"), "traces", "名为调研却要求留痕材料"),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "raw", "warned", "says"), CASES)
def test_each_warning_kind(registers, kind, raw, warned, says):
    row_id = registers.add(kind, U, raw).ids[0]
    found = row_warnings(registers.rows())
    assert [w.kind for w in found] == [warned]
    assert found[0].row_ids == (row_id,)
    assert found[0].text.startswith(f"台账第{row_id}号（3月5日“")
    assert says in found[0].text


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("发文", _doc(文号="甲发1号", 字数=5000)),  # at the limit is within it
        ("发文", _doc(文种="专项工作文件", 文号="甲发1号", 字数=4000)),
        ("发文", _doc(文种="便笺", 发往层级="本级", 字数=3000)),  # a memo kept at its own level
        ("发文", _doc(文种="便笺", 发往层级="乡镇", 字数=1499)),
        ("会议", _meeting(主讲话时长=60, 会议时长=240, 是否计划内="是")),
        ("督检考", _check(是否要求留痕材料="否")),
    ],
)
def test_within_the_limits_no_warning(registers, kind, raw):
    registers.add(kind, U, raw)
    assert row_warnings(registers.rows()) == []


@pytest.mark.parametrize(
    ("day", "months"),
    [(date(2026, 9, 30), 9.0), (date(2026, 9, 15), 8.5), (date(2026, 1, 31), 1.0)],
)
def test_months_elapsed(day, months):
    assert months_elapsed(day) == months


@pytest.mark.parametrize(
    ("so_far", "last", "as_of", "projected", "month", "says"),
    [
        (162, 200, date(2026, 9, 30), 216, 12,
         "截至9月底，已发文162件，照此进度全年约216件，将比上年（200件）多16件，不符合“只减不增”的要求；"
         "照此进度12月就会达到上年全年数。"),
        (150, 200, date(2026, 9, 30), 200, 12, "照此进度全年约200件，不超过上年的200件。"),
        (100, 120, date(2026, 6, 30), 200, 8, "照此进度8月就会达到上年全年数"),
        (130, 120, date(2026, 6, 15), 284, 6, "已达到上年全年的120件"),
        (30, 200, date(2026, 9, 15), 42, None, "截至9月15日"),
    ],
)  # fmt: skip
def test_pace_projection(so_far, last, as_of, projected, month, says):
    got = project(U, "doc_count", so_far, last, as_of)
    assert got.projected == projected
    assert got.reach_month == month
    assert says in got.text


def test_pace_from_registers_and_last_years_total(registers, store):
    store.save_observations(
        pd.DataFrame(
            {"unit": [U], "period": ["2025年"], "indicator": ["doc_count"], "value": [4.0]}
        )
    )
    for n, day in enumerate(["2026-01-10", "2026-02-10", "2026-03-10", "2026-04-10"]):
        registers.add("发文", U, _doc(日期=day, 文号=f"甲发{n}号"))
    registers.add("发文", U, _doc(日期="2026-05-10", 文号="", 文种="便笺"))  # not counted
    (got,) = pace(registers, store, U, date(2026, 4, 30))
    assert (got.so_far, got.projected, got.reach_month) == (4, 12, 4)
    assert got.over and "已达到上年全年的4件" in got.text
    assert pace(registers, store, "乙镇", date(2026, 4, 30)) == []  # no rows, no total: nothing
    found = all_warnings(registers, store, U, date(2026, 4, 30))
    assert [w["kind"] for w in found] == ["pace"] and found[0]["rows"] == [1, 2, 3, 4]


def test_merge_suggestions_chain_same_kind_and_audience(registers):
    rows = [
        ("2026-03-02", "春耕部署会", "部署会", "乡镇"),
        ("2026-03-05", "防火部署会", "部署会", "乡镇"),
        ("2026-03-11", "防汛部署会", "部署会", "乡镇"),  # 6 days after the last: same chain
        ("2026-03-30", "征兵部署会", "部署会", "乡镇"),  # far: alone
        ("2026-03-06", "安全专题会", "专题会", "乡镇"),  # another kind
        ("2026-03-03", "村级部署会", "部署会", "村（社区）"),  # another audience
        ("2026-03-04", "杂会", "其他", "乡镇"),
    ]
    for day, name, kind, audience in rows:
        registers.add(
            "会议", U, _meeting(日期=day, 会议名称=name, 会议类型=kind, 参会层级=audience)
        )
    (one,) = merge_suggestions(registers.rows())
    assert one.row_ids == (1, 2, 3)
    assert one.text == (
        "3月2日“春耕部署会”（第1号）、3月5日“防火部署会”（第2号）、3月11日“防汛部署会”（第3号）"
        "同为部署会、参会层级均为乡镇，9天内召开3次（相邻两次相隔不超过7天），建议合并召开或套开"
    )


# ---- pace: last year's register up to the same day ------------------------------------------

LAST_YEAR = ["2025-01-01", "2025-03-10", "2025-04-30", "2025-05-01", "2025-12-31"]
THIS_YEAR = ["2026-01-01", "2026-02-10", "2026-03-10", "2026-04-30", "2026-05-01"]


def _register_docs(registers, days, unit=U):
    for day in days:
        registers.add("发文", unit, _doc(日期=day, 标题=f"文件{day}", 文号=f"甲发{day}号"))


def _last_total(store, value, period="2025年"):
    store.save_observations(
        pd.DataFrame({"unit": [U], "period": [period], "indicator": ["doc_count"],
                      "value": [value]})
    )  # fmt: skip


@pytest.mark.parametrize(
    ("total", "last_rows", "same_time"),
    [
        (5.0, LAST_YEAR, 3),  # 1月1日 and 4月30日 count, 5月1日 does not
        (6.0, LAST_YEAR, None),  # the register holds 5 of last year's 6: incomplete, not said
        (5.0, [], None),  # no register last year
    ],
)
def test_pace_says_last_years_count_up_to_the_same_day(registers, store, total, last_rows,
                                                       same_time):  # fmt: skip
    _last_total(store, total)
    _register_docs(registers, last_rows + THIS_YEAR)
    (got,) = pace(registers, store, U, date(2026, 4, 30))
    assert got.so_far == 4 and got.same_time == same_time
    if same_time is None:
        assert got.text.startswith("截至4月底，已发文4件，照此进度全年约12件")
    else:
        assert got.text.startswith("截至4月底，已发文4件，上年同期3件，照此进度全年约12件")
    assert got.over and got.last_year == total  # still held against last year's total


def test_same_time_last_year_on_29_february_is_the_28th(registers, store):
    _last_total(store, 3.0, "2027年")
    _register_docs(registers, ["2027-02-28", "2027-03-01", "2027-06-01", "2028-02-29"])
    (got,) = pace(registers, store, U, date(2028, 2, 29))
    assert got.same_time == 1 and "上年同期1件" in got.text
