"""Two returned files for one unit whose newer one cannot be told: the user chooses."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest

from jianfu.cli import main
from jianfu.collect.batch import ASK, CONFLICT, DUPLICATE, IMPORTED, apply, choose, plan
from jianfu.collect.incoming import Incoming
from jianfu.collect.outgoing import round_templates
from jianfu.collect.rounds import Collect
from jianfu.collect.templates import file_name
from jianfu.errors import JianfuError
from jianfu.store import Store
from tests.support.collect import CODES, filled, put, seed_units

PERIOD = "2025年"
SAME = datetime(2025, 3, 1, 9, 30)


def ding_pair(collect, rnd, first=SAME, second=SAME):
    template = round_templates(collect, rnd)[file_name(rnd, "丁镇")]
    return [
        Incoming("丁镇_甲.xlsx", filled(template, [12, 3, 4]), first),
        Incoming("丁镇_乙.xlsx", filled(template, [15, 3, None]), second),
    ]


def by_file(report):
    return {o.file: o for o in report.outcomes}


@pytest.mark.parametrize(
    ("first", "second"),
    [(SAME, SAME), (None, None), (None, SAME), (SAME, None)],
    ids=["same-time", "no-times", "one-time-missing", "other-time-missing"],
)
def test_pair_without_a_newer_one_awaits_a_choice_and_imports_nothing(collect, rnd, first, second):
    planned = plan(collect, rnd, ding_pair(collect, rnd, first, second))
    got = by_file(planned)
    assert [got["丁镇_甲.xlsx"].status, got["丁镇_乙.xlsx"].status] == [ASK, ASK]
    assert planned.choices() == {"丁镇": ["丁镇_甲.xlsx", "丁镇_乙.xlsx"]}
    done = apply(collect, rnd, planned)
    assert [o.status for o in done.outcomes] == [ASK, ASK]
    assert collect.store.values_of("丁镇", PERIOD) == {}


def test_the_pair_is_told_apart_by_name_time_and_differing_values(collect, rnd):
    planned = plan(collect, rnd, ding_pair(collect, rnd, SAME, None))
    messages = by_file(planned)["丁镇_甲.xlsx"].messages
    assert messages[0] == (
        "“丁镇_甲.xlsx”、“丁镇_乙.xlsx”都是“丁镇”的表格，看不出哪份较新；"
        "请选择使用哪一份，选定前该单位不导入"
    )
    assert messages[1:] == (
        "修改时间：丁镇_甲.xlsx 2025-03-01 09:30:00，丁镇_乙.xlsx 未知",
        "发文数量：丁镇_甲.xlsx 12，丁镇_乙.xlsx 15",
        "督检考事项数：丁镇_甲.xlsx 4，丁镇_乙.xlsx 未填",
    )  # 会议数量 is 3 in both: not listed


@pytest.mark.parametrize(
    ("use", "values"),
    [
        (["丁镇_甲.xlsx"], {"doc_count": 12, "meeting_count": 3, "inspection_items": 4}),
        (["某文件夹/丁镇_乙.xlsx"], {"doc_count": 15, "meeting_count": 3}),
    ],
)
def test_plan_then_choose_then_apply_stores_exactly_the_chosen_file(collect, rnd, use, values):
    planned = plan(collect, rnd, ding_pair(collect, rnd))
    chosen = choose(collect, planned, use)
    statuses = sorted(o.status for o in chosen.outcomes)
    assert statuses == sorted([IMPORTED, DUPLICATE]) and chosen.choices() == {}
    loser = next(o for o in chosen.outcomes if o.status == DUPLICATE)
    assert "已按选择采用" in loser.messages[0]
    apply(collect, rnd, chosen)
    assert collect.store.values_of("丁镇", PERIOD) == values
    assert [o.status for o in planned.outcomes] == [ASK, ASK]  # the plan itself is unchanged


def test_a_choice_overrides_the_newer_file(collect, rnd):
    files = ding_pair(collect, rnd, datetime(2025, 3, 1), datetime(2025, 3, 2))
    assert by_file(plan(collect, rnd, files))["丁镇_乙.xlsx"].status == IMPORTED
    chosen = plan(collect, rnd, files, use=["丁镇_甲.xlsx"])
    assert by_file(chosen)["丁镇_甲.xlsx"].status == IMPORTED
    assert by_file(chosen)["丁镇_乙.xlsx"].status == DUPLICATE


def test_upload_and_zip_times_are_compared_without_error(collect, rnd):
    aware = datetime(2025, 3, 2, 12, tzinfo=UTC)  # a page upload's time
    files = ding_pair(collect, rnd, datetime(2020, 1, 1), aware)
    assert by_file(plan(collect, rnd, files))["丁镇_乙.xlsx"].status == IMPORTED


@pytest.mark.parametrize(
    ("use", "message"),
    [
        (["无此文件.xlsx"], "指定使用的文件“无此文件.xlsx”不在本次导入的文件中"),
        (["丁镇_甲.xlsx", "丁镇_乙.xlsx"], "“丁镇”只能选用一份表格"),
        (["坏.xlsx"], "指定使用的文件“坏.xlsx”未通过检查"),
    ],
)
@pytest.mark.slow  # 0.6 s
def test_a_choice_naming_no_usable_file_is_refused_before_anything_is_saved(
    collect, rnd, use, message
):
    bad = filled(round_templates(collect, rnd)[file_name(rnd, "甲镇")], ["x", 1, 1])
    files = [*ding_pair(collect, rnd), Incoming("坏.xlsx", bad)]
    with pytest.raises(JianfuError, match=message):
        plan(collect, rnd, files, use=use)


def test_a_value_typed_between_plan_and_choice_is_still_a_conflict(collect, rnd):
    planned = plan(collect, rnd, ding_pair(collect, rnd))
    row = pd.DataFrame([["丁镇", PERIOD, "doc_count", 99.0]],
                       columns=["unit", "period", "indicator", "value"])  # fmt: skip
    collect.store.save_observations(row)
    done = apply(collect, rnd, choose(collect, planned, ["丁镇_乙.xlsx"]))
    assert by_file(done)["丁镇_乙.xlsx"].status == CONFLICT
    assert collect.store.values_of("丁镇", PERIOD) == {"doc_count": 99.0}


# ---------------------------------------------------------------- command line


@pytest.fixture
def returned(data_dir, tmp_path):
    store = Store.default()
    seed_units(store)
    collect = Collect(store)
    rnd = collect.new_round("2025年度监测", PERIOD, collect.children("示例县"), CODES)
    template = round_templates(collect, rnd)[file_name(rnd, "丁镇")]
    jia = filled(round_templates(collect, rnd)[file_name(rnd, "甲镇")], [1, 2, 3])
    store.engine.dispose()
    back = tmp_path / "交回"
    put(back, "甲镇.xlsx", jia)
    put(back, "丁镇_甲.xlsx", filled(template, [12, 3, 4]), mtime=1_750_000_000)
    put(back, "丁镇_乙.xlsx", filled(template, [15, 3, 4]), mtime=1_750_000_000)
    return back


def test_cli_holds_the_pair_back_and_says_how_to_choose(returned, capsys):
    assert main(["collect", "import", "2025年度监测", str(returned)]) == 1
    out = capsys.readouterr().out
    assert "待选择  丁镇_甲.xlsx（丁镇）" in out and "待选择  丁镇_乙.xlsx（丁镇）" in out
    assert "    发文数量：丁镇_乙.xlsx 15，丁镇_甲.xlsx 12" in out  # folder order
    assert "请加 --use 文件名 指定“丁镇”使用哪一份后再导入这些文件" in out
    store = Store.default()
    assert store.values_of("丁镇", PERIOD) == {}
    assert store.values_of("甲镇", PERIOD) == dict(zip(CODES, [1, 2, 3], strict=True))


@pytest.mark.slow  # 0.6 s
def test_cli_use_imports_only_the_chosen_file(returned, capsys):
    args = ["collect", "import", "2025年度监测", str(returned), "--use", "丁镇_乙.xlsx"]
    assert main(args) == 1  # the loser is still listed as not imported
    out = capsys.readouterr().out
    assert "已导入  丁镇_乙.xlsx（丁镇）" in out and "重复  丁镇_甲.xlsx（丁镇）" in out
    assert Store.default().values_of("丁镇", PERIOD) == dict(zip(CODES, [15, 3, 4], strict=True))


def test_cli_use_naming_no_file_exits_2_and_imports_nothing(returned, capsys):
    args = ["collect", "import", "2025年度监测", str(returned), "--use", "丙.xlsx"]
    assert main(args) == 2
    assert "指定使用的文件“丙.xlsx”不在本次导入的文件中" in capsys.readouterr().err
    assert Store.default().values_of("甲镇", PERIOD) == {}
