"""Numbers that were stored wrong without a word: percent columns, parts above wholes.

Issue 16, items 3 (a percent column 0.81, 1, 0.9 stored 81, 1, 90) and 6 (一线实战部门警力
520 of 总警力 400 accepted, so pages said “占比由75%提高到130%”).
"""

from __future__ import annotations

import pandas as pd
import pytest

from jianfu.dataio.form import read_form
from jianfu.dataio.importer import import_file
from jianfu.errors import ValidationError
from tests.support.sheetfiles import CATALOG, csv, problems, values, xlsx

RATE = "干部对减负成效满意率"


def rates(result) -> list[float]:
    return [v for (_, _, code), v in values(result).items() if code == "satisfaction_rate"]


# ---- item 3: percent columns ---------------------------------------------------------------


def test_one_in_an_asked_column_follows_the_answer():
    data = csv(f"单位,时期,{RATE}", "甲,2024年,0.81", "乙,2024年,1", "丙,2024年,0.9", "丁,2024年,0")
    asked = import_file(data, "表.csv", CATALOG)
    assert asked.questions == {
        "satisfaction_rate": f"“{RATE}”有3个不带%的数值在0到1之间（如第2行的0.81），"
        "是指81%这样的比例，还是就是0.81%？"
    }
    meant = import_file(data, "表.csv", CATALOG, fractions={"satisfaction_rate": "percent"})
    assert rates(meant) == [81, 100, 90, 0]
    assert f"{RATE}的3个数值已按比例换算为百分数（如0.81记为81%）" in meant.notes
    kept = import_file(data, "表.csv", CATALOG, fractions={"satisfaction_rate": "as_is"})
    assert rates(kept) == [0.81, 1, 0.9, 0]


def test_a_cell_with_its_own_percent_sign_is_never_converted():
    data = csv(f"单位,时期,{RATE}", "甲,2024年,0.5%", "乙,2024年,0.81")
    result = import_file(data, "表.csv", CATALOG, fractions={"satisfaction_rate": "percent"})
    assert rates(result) == [0.5, 81]
    alone = import_file(csv(f"单位,时期,{RATE}", "甲,2024年,0.5%"), "表.csv", CATALOG)
    assert not alone.questions and rates(alone) == [0.5]


def test_a_cell_formatted_as_percent_is_never_converted():
    def fmt(wb):
        wb["数据"]["C2"].number_format = "0.0%"  # shows 0.4%

    data = xlsx(
        ("数据", [["单位", "时期", RATE], ["甲", "2024年", 0.004], ["乙", "2024年", 0.9]]),
        build=fmt,
    )
    result = import_file(data, "表.xlsx", CATALOG, fractions={"satisfaction_rate": "percent"})
    assert rates(result) == [0.4, 90]


def test_mixed_evidence_in_one_column_is_refused_naming_the_cells():
    data = csv(
        f"单位,时期,{RATE}", "甲,2024年,0.926", "乙,2024年,85", "丙,2024年,1", "丁,2024年,96%"
    )
    expected = [
        f"文件“表.csv”第{row}行“{RATE}”列：同一列中有大于1的数（如第3行的85），也有不带%的0到1之间的数"
        f"（本格{shown}），无法确定是比例还是百分数；请统一写成百分数（如92.6）或加上%"
        for row, shown in ((2, "0.926"), (4, "1"))
    ]
    assert problems(data, "表.csv") == expected
    for answer in ("percent", "as_is"):  # an answer for the column does not settle it
        assert problems(data, "表.csv", fractions={"satisfaction_rate": answer}) == expected


# ---- item 6: a part larger than its whole --------------------------------------------------


def test_a_part_above_its_whole_is_refused_in_a_wide_file():
    data = csv(
        "单位,时期,一线实战部门警力,总警力", "公安分局,2024年,520,400", "派出所,2024年,30,40"
    )
    assert problems(data, "表.csv") == [
        "文件“表.csv”第2行“一线实战部门警力”列：一线实战部门警力（520）大于总警力（400），"
        "部分不能大于整体（一线实战部门警力占比 = 一线实战部门警力 ÷ 总警力）"
    ]


def test_a_part_above_its_whole_is_refused_in_a_long_file():
    data = csv(
        "单位,时期,指标,数值",
        "甲镇,2024年,会议数量,30",
        "甲镇,2024年,视频会议数量,50",
        "乙镇,2024年,视频会议数量,0",
        "乙镇,2024年,会议数量,0",
    )
    assert problems(data, "表.csv") == [
        "文件“表.csv”第3行“数值”列：视频会议数量（50）大于会议数量（30，第2行），"
        "部分不能大于整体（视频会议占比 = 视频会议数量 ÷ 会议数量）"
    ]


def test_a_part_above_a_stored_whole_is_refused_by_the_preview_and_the_save(store):
    store.save_observations(
        pd.DataFrame(
            [("甲镇", "2024年", "total_police", 400)],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    frame = pd.DataFrame(
        [("甲镇", "2024年", "frontline_police", 520)],
        columns=["unit", "period", "indicator", "value"],
    )
    for step in (store.preview, store.save_observations):
        with pytest.raises(ValidationError) as info:
            step(frame)
        assert str(info.value) == (
            "甲镇 2024年：一线实战部门警力（520）大于总警力（400），"
            "部分不能大于整体（一线实战部门警力占比 = 一线实战部门警力 ÷ 总警力）"
        )
    assert store.values_of("甲镇", "2024年") == {"total_police": 400}
    # clearing the whole at the same time is fine: there is then no whole to exceed
    store.save_observations(frame, clear=[("甲镇", "2024年", "total_police")])
    assert store.values_of("甲镇", "2024年") == {"frontline_police": 520}


def test_the_form_refuses_a_part_above_its_whole():
    fields = {
        "frontline_police": "520",
        "total_police": "400",
        "meeting_video": "5",
        "meeting_count": "0",
    }
    result = read_form(CATALOG, "公安分局", "2024年", fields)
    assert result.errors == {
        "frontline_police": "一线实战部门警力（520）大于总警力（400），"
        "部分不能大于整体（一线实战部门警力占比 = 一线实战部门警力 ÷ 总警力）",
        "meeting_video": "视频会议数量（5）大于会议数量（0），"
        "部分不能大于整体（视频会议占比 = 视频会议数量 ÷ 会议数量）",
    }
    ok = read_form(CATALOG, "公安分局", "2024年", {"meeting_video": "0", "meeting_count": "0"})
    assert ok.ok


def test_a_custom_ratio_refuses_stored_data_where_the_part_is_larger(store):
    store.save_observations(
        pd.DataFrame(
            [("甲镇", "2024年", "doc_count", 30), ("甲镇", "2024年", "doc_received", 20)],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    entry = {
        "name": "自发文件占比",
        "category": "文件",
        "measure": "%",
        "direction": "越少越好",
        "kind": "ratio",
        "aggregate": "ratio",
        "numerator": "doc_count",
        "denominator": "doc_received",
    }
    with pytest.raises(ValidationError) as info:
        store.add_custom_indicator(entry)
    assert "甲镇 2024年：发文数量（30）大于上级来文数量（20）" in str(info.value)
    assert all(i.name != "自发文件占比" for i in store.catalog())
    # a new custom ratio then guards every later save
    store.save_observations(
        pd.DataFrame(
            [("甲镇", "2024年", "doc_received", 40)],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    ratio = store.add_custom_indicator(entry)
    with pytest.raises(ValidationError):
        store.save_observations(
            pd.DataFrame(
                [("甲镇", "2024年", "doc_count", 41)],
                columns=["unit", "period", "indicator", "value"],
            )
        )
    assert ratio.numerator == "doc_count"


def test_zero_over_zero_is_accepted_and_stays_cannot_be_computed(store):
    from jianfu.compare.grids import with_ratios

    rows = [
        ("甲镇", p, c, 0) for p in ("2023年", "2024年") for c in ("meeting_video", "meeting_count")
    ]
    store.save_observations(pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"]))
    computed = with_ratios(store.observations(), store.catalog())
    assert "meeting_video_share" not in set(computed["indicator"])  # no 0%, no 100%


def test_the_page_refuses_a_part_above_a_stored_whole(demo_store):
    pytest.importorskip("ipywidgets")
    from jianfu_widgets.entry import EntryApp

    demo_store.save_observations(
        pd.DataFrame(
            [("甲镇", "2024年", "total_police", 400)],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    panel = EntryApp(demo_store).imports
    panel.load(csv("单位,时期,一线实战部门警力", "甲镇,2024年,520"), "警力.csv")
    assert panel.pending is None
    assert panel.problems == [
        "甲镇 2024年：一线实战部门警力（520）大于总警力（400），"
        "部分不能大于整体（一线实战部门警力占比 = 一线实战部门警力 ÷ 总警力）"
    ]
