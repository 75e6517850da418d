"""Trends over several periods and rankings of units, against hand-checked figures."""

import math

import pandas as pd
import pytest

from jianfu.catalog import load_catalog
from jianfu.compare import (
    TREND_COLUMNS,
    compare,
    rank,
    trend,
)
from jianfu.compare.sentences import trend_sentence
from jianfu.errors import JianfuError
from tests.support.observations import TREND_PERIODS, TWO_STATIONS, make_obs, one, pair

CATALOG = load_catalog()


# ---------------------------------------------------------------- trend


@pytest.mark.parametrize(
    "values, monotone, first_break",
    [
        # seed 004: 82, 81, 85 -> not 逐年递减, broken in 2021年
        ((82, 81, 85), False, "2021年"),
        ((10, 9, 8), True, None),
        ((10, 10, 8), False, "2020年"),  # equal is not a decline
        ((10, None, 8), True, None),  # a gap is skipped
        ((10, None, 12), False, "2021年"),
        ((None, 5, None), None, None),  # one value: undecided
        ((None, 5, 4), True, None),
    ],
)
def test_trend_declines(values, monotone, first_break):
    obs = make_obs(
        *[
            ("区委组织部", p, "doc_count", v)
            for p, v in zip(TREND_PERIODS, values, strict=True)
            if v is not None
        ]
    )
    row = one(trend(obs, CATALOG, TREND_PERIODS), "doc_count")
    assert row["monotone"] is monotone
    assert (row["first_break"] if isinstance(row["first_break"], str) else None) == first_break


FOUR_YEARS = ["2019年", "2020年", "2021年", "2022年"]


@pytest.mark.parametrize(
    ("code", "values", "verdict", "said"),
    [
        # was “发文数量2019年、2021年、2022年分别为82件、80件、78件，实现逐年递减”: 2020 unknown
        ("doc_count", (82, None, 80, 78), "数据不连续", "2020年无数据，不能说逐年递减"),
        ("staff_sunk", (5, None, None, 9), "数据不连续", "2020年、2021年无数据，不能说逐年递增"),
        # a rise seen across the gap still breaks the decline
        ("doc_count", (82, None, 85, 80), "未实现逐年递减", "，未实现逐年递减"),
        # a run that starts late has no gap inside it
        (
            "doc_count",
            (None, 82, 80, 78),
            "逐年递减",
            "2020年、2021年、2022年分别为82件、80件、78件，实现逐年递减",
        ),
        (
            "doc_count",
            (82, 81, 80, 78),
            "逐年递减",
            "2019年至2022年分别为82件、81件、80件、78件，实现逐年递减",
        ),
        (
            "meeting_video",
            (5, None, 7, 9),
            "—",
            "视频会议数量2019年、2021年、2022年分别为5次、7次、9次",
        ),
    ],
)
def test_a_run_with_a_missing_year_is_not_called_steady(code, values, verdict, said):
    obs = make_obs(
        *[("甲镇", p, code, v) for p, v in zip(FOUR_YEARS, values, strict=True) if v is not None]
    )
    row = one(trend(obs, CATALOG, FOUR_YEARS), code)
    assert row["verdict"] == verdict
    sentence = trend_sentence(row, FOUR_YEARS)
    assert sentence.endswith(said), sentence


def test_trend_columns_values_and_changes():
    obs = make_obs(
        *[
            ("区委组织部", p, "doc_count", v)
            for p, v in zip(TREND_PERIODS, (82, None, 85), strict=True)
        ]
    )
    obs = obs.dropna()
    table = trend(obs, CATALOG, TREND_PERIODS)
    assert list(table.columns) == TREND_COLUMNS
    row = one(table, "doc_count")
    assert row["values"][0] == 82 and math.isnan(row["values"][1]) and row["values"][2] == 85
    assert len(row["changes"]) == 2 and all(math.isnan(c) for c in row["changes"])
    assert (row["name"], row["short"], row["measure"], row["direction"]) == (
        "发文数量",
        "发文数量",
        "件",
        "越少越好",
    )
    assert table.attrs["periods"] == TREND_PERIODS


def test_trend_group_recomputes_ratio():
    table = trend(TWO_STATIONS, CATALOG, ["2023年", "2024年"], group="合计")
    row = one(table, "frontline_police_share")
    assert row["values"] == pytest.approx([64.0, 81.4])
    assert row["changes"] == pytest.approx([17.4])


# ---------------------------------------------------------------- rank

RANK_OBS = pd.concat(
    [
        pair("doc_count", 100, 50, unit="甲"),  # -50%
        pair("doc_count", 100, 80, unit="乙"),  # -20%
        pair("doc_count", 100, 120, unit="丙"),  # +20%
        pair("doc_count", 0, 5, unit="丁"),  # zero base
        pair("doc_count", 10, 8, unit="戊"),  # -20%, ties with 乙
        pair("problems_solved", 10, 20, unit="甲"),  # +100%
        pair("problems_solved", 10, 15, unit="乙"),  # +50%
        pair("problems_solved", 10, 5, unit="丙"),  # -50%
    ]
)


def test_rank_lower_better_indicator():
    table = compare(RANK_OBS, CATALOG, "2023年", "2024年")
    ranked = rank(table, indicator="doc_count")
    assert list(ranked.columns) == ["rank", "unit", "value", "label"]
    assert ranked["unit"].tolist() == ["甲", "乙", "戊", "丙", "丁"]
    assert ranked["rank"].tolist()[:4] == [1, 2, 2, 4]
    assert ranked["rank"].isna().tolist() == [False] * 4 + [True]
    assert ranked["label"].tolist() == ["减少50%", "减少20%", "减少20%", "增加20%", "新增"]
    assert ranked["value"].iloc[0] == pytest.approx(-50)


def test_rank_higher_better_indicator():
    table = compare(RANK_OBS, CATALOG, "2023年", "2024年")
    ranked = rank(table, indicator="problems_solved")
    assert ranked["unit"].tolist() == ["甲", "乙", "丙"]
    assert ranked["label"].tolist() == ["增加100%", "增加50%", "减少50%"]


def test_rank_share_of_improved_counts_only_common_indicators():
    # every unit has doc_count; problems_solved only 甲乙丙, so it is not counted:
    # 甲 1/1 improved; 乙 1/1; 丙 0/1; 丁 新增 of a lower-better code: 0/1; 戊 1/1
    table = compare(RANK_OBS, CATALOG, "2023年", "2024年")
    ranked = rank(table)
    assert ranked["unit"].tolist() == ["甲", "乙", "戊", "丙", "丁"]
    assert ranked["value"].tolist() == [100, 100, 100, 0, 0]
    assert ranked["rank"].tolist() == [1, 1, 1, 4, 4]
    assert ranked["label"].iloc[0] == "改善1项/共1项"
    assert ranked.attrs["judged_on"] == 1
    assert ranked.attrs["notes"] == [
        "按各单位共有的1项可评价指标计算改善指标占比",
        f"1项指标并非各单位都有数据，未计入排名：{CATALOG['problems_solved'].name}",
    ]


def test_a_unit_judged_on_few_indicators_cannot_top_one_judged_on_many():
    many = [pair(code, 10, 8, unit="全面") for code in ("doc_count", "meeting_count")]
    many += [pair(code, 10, 12, unit="全面") for code in ("inspection_items", "report_forms")]
    few = [pair("doc_count", 10, 5, unit="单项"), pair("meeting_count", 10, 12, unit="单项")]
    table = compare(pd.concat(many + few), CATALOG, "2023年", "2024年")
    ranked = rank(table).set_index("unit")
    # on their two common indicators: 全面 improved both, 单项 one
    assert ranked.loc["全面", "label"] == "改善2项/共2项"
    assert ranked.loc["单项", "label"] == "改善1项/共2项"
    assert ranked.loc["全面", "rank"] == 1


def test_rank_without_common_indicators_says_so():
    table = compare(
        pd.concat([pair("doc_count", 10, 5, unit="甲"), pair("meeting_count", 10, 5, unit="乙")]),
        CATALOG,
        "2023年",
        "2024年",
    )
    ranked = rank(table)
    assert ranked["rank"].isna().all()
    assert set(ranked["label"]) == {"无共同的可评价指标"}
    assert any("没有共同的可评价指标" in n for n in ranked.attrs["notes"])


def test_rank_errors():
    table = compare(pair("police_stations", 14, 11), CATALOG, "2023年", "2024年")
    with pytest.raises(JianfuError, match="中性"):
        rank(table, indicator="police_stations")
    with pytest.raises(JianfuError, match="doc_count"):
        rank(table, indicator="doc_count")
    ranked = rank(table)
    assert ranked["rank"].isna().all() and ranked["label"].tolist() == ["无共同的可评价指标"]
