"""Unit and period labels: spellings of one name, and rows that are not periods at all.

Issue 16, items 2 (near-duplicate keys: the last one silently won) and 5 (增减, 同比,
合计 rows in the period column became periods).
"""

from __future__ import annotations

import pandas as pd
import pytest

from jianfu.dataio.importer import import_file
from jianfu.errors import ValidationError
from jianfu.text.periods import clean_period
from tests.support.sheetfiles import CATALOG, csv, problems, values

# ---- item 2: spellings that are one name are one name before the duplicate check ----------


@pytest.mark.parametrize(
    "first, second, spelled",
    [
        (("示例县", "2024年"), ("示例县", "2024年度"), "“示例县”“2024年度”"),
        (("示例县", "2024年"), ("示例 县", "2024年"), "“示例 县”“2024年”"),
        (("示例(县)", "2024年"), ("示例（县）", "2024年"), "“示例（县）”“2024年”"),
        (("示例县", "2024年"), ("示例县", "２０２４年"), None),  # read as 2024年 already
    ],
    ids=["year-suffix", "inner-space", "brackets", "full-width-digits"],
)
def test_near_duplicates_with_different_values_are_refused_naming_both_rows(first, second, spelled):
    data = csv("单位,时期,发文数量", f"{first[0]},{first[1]},30", f"{second[0]},{second[1]},40")
    written = f"，本行写作{spelled}" if spelled else ""
    assert problems(data, "表.csv") == [
        f"文件“表.csv”第3行“发文数量”列：与第2行重复（同一单位、时期和指标{written}），"
        "但数值不同：第2行为30，本行为40"
    ]


def test_near_duplicates_with_equal_values_are_one_value_and_said():
    data = csv("单位,时期,发文数量", "示例(县),2024年,30", "示例（县）,2024年度,30")
    result = import_file(data, "表.csv", CATALOG)
    assert values(result) == {("示例(县)", "2024年", "doc_count"): 30}
    assert "文件中的“示例（县）”与“示例(县)”是同一单位，按“示例(县)”导入" in result.notes
    assert "文件中的“2024年度”与“2024年”是同一时期，按“2024年”导入" in result.notes


def test_the_dry_run_finds_what_the_save_would(store):
    # the bracket case used to pass the preview and then fail with an IntegrityError
    data = csv("单位,时期,发文数量", "示例(县),2024年,30", "示例（县）,2024年,40")
    with pytest.raises(ValidationError):
        import_file(data, "表.csv", store.catalog())
    frame = pd.DataFrame(
        [("示例(县)", "2024年", "doc_count", 30), ("示例（县）", "2024年", "doc_count", 40)],
        columns=["unit", "period", "indicator", "value"],
    )
    for step in (store.preview, store.save_observations):
        with pytest.raises(ValidationError) as info:
            step(frame)
        assert "同一单位、时期和指标出现了两次" in str(info.value)
    assert store.observations().empty


def test_a_wide_near_duplicate_across_two_sheet_rows_names_both(store):
    data = csv("单位,时期,发文数量,会议数量", "甲镇,2024年,30,5", "甲 镇,2024年,31,5")
    [message] = problems(data, "表.csv")
    assert message.startswith("文件“表.csv”第3行“发文数量”列：与第2行重复")


# ---- item 5: change and total rows in the period column -----------------------------------


@pytest.mark.parametrize(
    "label",
    ["增减", "比上年增减", "同比", "同比增减", "增减率", "合计", "小计：2023-2024年", "环比"],
)
def test_change_and_total_rows_in_the_period_column_are_left_out_and_named(label):
    data = csv("单位,时期,发文数量", "示例县,2023年,120", "示例县,2024年,90", f"示例县,{label},")
    result = import_file(data, "表.csv", CATALOG)
    assert result.periods == ["2023年", "2024年"]
    assert f"第4行“{clean_period(label)}”是增减、同比或合计行（时期一栏），未导入" in result.notes


def test_change_rows_say_they_were_left_out_and_are_checked():
    data = csv(
        "单位,时期,发文数量,会议数量",
        "示例县,2023年,120,40",
        "示例县,2024年,90,30",
        "示例县,增减,-30,-12",  # the meetings differ by 10, not 12
        "示例县,同比,-25%,-25%",
        "示例县,合计,210,70",
    )
    result = import_file(data, "表.csv", CATALOG)
    assert values(result) == {
        ("示例县", "2023年", "doc_count"): 120,
        ("示例县", "2024年", "doc_count"): 90,
        ("示例县", "2023年", "meeting_count"): 40,
        ("示例县", "2024年", "meeting_count"): 30,
    }
    assert result.notes == (
        "第4行“增减”、第5行“同比”、第6行“合计”是增减、同比或合计行（时期一栏），未导入",
        "第4行“示例县”“增减”的会议数量为-12，上面两行之差（2024年减2023年）为-10，请核对",
    )


def test_a_total_period_row_that_does_not_add_up_is_reported():
    data = csv("单位,时期,发文数量", "甲镇,2023年,120", "甲镇,2024年,90", "甲镇,合计,200")
    result = import_file(data, "表.csv", CATALOG)
    assert "第4行“甲镇”“合计”的发文数量为200，上面各行之和为210，请核对" in result.notes


def test_change_rows_in_the_long_layout():
    data = csv(
        "单位,时期,指标,数值",
        "甲镇,2023年,发文数量,120",
        "甲镇,2024年,发文数量,90",
        "甲镇,比上年增减,发文数量,-30",
    )
    result = import_file(data, "表.csv", CATALOG)
    assert result.periods == ["2023年", "2024年"]
    assert result.notes == ("第4行“比上年增减”是增减、同比或合计行（时期一栏），未导入",)


@pytest.mark.parametrize(
    "label, value, agrees",
    [
        ("减少", "30", True),  # a decrease written without its minus
        ("减少", "-30", True),
        ("增减", "30", False),  # 增减 is signed: 90 - 120 is -30
        ("降幅", "25%", True),
        ("降幅", "40%", False),
        ("同比", "-25", True),
        ("同比", "25", False),
    ],
)
def test_a_decrease_may_be_written_without_its_minus(label, value, agrees):
    data = csv("单位,时期,发文数量", "甲镇,2023年,120", "甲镇,2024年,90", f"甲镇,{label},{value}")
    notes = import_file(data, "表.csv", CATALOG).notes
    assert any("请核对" in n for n in notes) is not agrees, notes
