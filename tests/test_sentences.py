"""Data sentences, built from real engine rows and checked word for word."""

import pandas as pd
import pytest

from jianfu.catalog import load_catalog
from jianfu.compare import compare, trend
from jianfu.compare.sentences import (
    as_rows,
    change_sentence,
    group_sentence,
    level_sentence,
    period_phrase,
    points_sentence,
    summary_sentences,
    trend_sentence,
)

CATALOG = load_catalog()
Y1, Y2 = "2023年", "2024年"


def table_of(*items, unit="全县", before=Y1, after=Y2):
    """items: (code, before, after); None leaves a period out."""
    rows = []
    for code, b, a in items:
        rows += [(unit, before, code, b)] if b is not None else []
        rows += [(unit, after, code, a)] if a is not None else []
    obs = pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"])
    return compare(obs, CATALOG, before, after)


def row_of(table, code):
    return table[table["indicator"] == code].iloc[0]


# seed 001: 文件 200 -> 98 (-51%), 会议 106 -> 46 (-56.6%), 督检考 175 -> 41 (-76.57%)
SEED_001 = (("doc_count", 200, 98), ("meeting_count", 106, 46), ("inspection_items", 175, 41))


# ---------------------------------------------------------------- grouped


@pytest.mark.parametrize(
    "items, expected",
    [
        (SEED_001, "全县文件、会议、督检考同比分别减少51%、56.6%、76.57%"),
        # one item: no 分别
        ((("doc_count", 200, 98),), "全县文件同比减少51%"),
        # rises said as rises, flat ones as 持平, each in its own clause
        (
            (("doc_count", 200, 98), ("meeting_count", 40, 50), ("report_forms", 12, 12)),
            "全县文件同比减少51%，会议同比增加25%，报表台账同比持平",
        ),
        (
            (("meeting_count", 40, 50), ("work_groups", 8, 10)),
            "全县会议、工作群同比分别增加25%、25%",
        ),
        ((("report_forms", 12, 12), ("work_groups", 0, 0)), "全县报表台账、工作群同比均持平"),
        # zero baseline: no percentage; missing baseline: 新增
        ((("gov_apps", 0, 5),), "全县政务App由0增加到5个"),
        ((("care_measures", None, 5),), "全县关心关爱措施新增5项"),
        # rows without data after are left out
        ((("doc_count", 200, 98), ("meeting_count", 5, None)), "全县文件同比减少51%"),
        ((("meeting_count", 5, None),), ""),
    ],
)
def test_group_sentence(items, expected):
    assert group_sentence(table_of(*items)) == expected


def test_group_sentence_rates_in_points():
    # video share 4/20 = 20% -> 7/20 = 35%; satisfaction 90 -> 87.5
    obs = pd.DataFrame(
        [
            ("全县", Y1, "meeting_count", 20),
            ("全县", Y1, "meeting_video", 4),
            ("全县", Y2, "meeting_count", 20),
            ("全县", Y2, "meeting_video", 7),
            ("全县", Y1, "satisfaction_rate", 90),
            ("全县", Y2, "satisfaction_rate", 87.5),
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    rows = compare(obs, CATALOG, Y1, Y2)
    rates = rows[rows["kind"].isin(["ratio", "percent"])]
    assert (
        group_sentence(rates, "全县", "较上年")
        == "全县干部对减负成效满意率较上年下降2.5个百分点，视频会议占比较上年提高15个百分点"
    )


def test_group_sentence_accepts_records_and_subject():
    table = table_of(*SEED_001, unit="苍南县")
    records = table.to_dict("records")
    assert (
        group_sentence(records, subject="", period_word="")
        == "文件、会议、督检考分别减少51%、56.6%、76.57%"
    )


def test_no_nan_or_inf_ever_printed():
    table = table_of(
        ("gov_apps", 0, 5),
        ("doc_count", None, 3),
        ("meeting_count", 0, 0),
        ("work_groups", 4, None),
    )
    text = "".join([group_sentence(table)] + [change_sentence(r) for r in as_rows(table)])
    assert "nan" not in text.lower() and "inf" not in text.lower() and "—" not in text


# ---------------------------------------------------------------- before -> after


@pytest.mark.parametrize(
    "item, expected",
    [
        # seed 003: 社区民警工作台账种类 16 -> 10
        (("community_police_ledgers", 16, 10), "社区民警工作台账种类由16种减少到10种，减少37.5%"),
        (("doc_count", 81, 85), "发文数量由81件增加到85件，增加4.94%"),
        (("report_forms", 12, 12), "报表台账种类保持12种不变"),
        (("gov_apps", 0, 3), "面向基层政务App数由0增加到3个"),
        (("care_measures", None, 5), "关心关爱措施新增5项"),
        (("doc_count", 81, None), "发文数量暂无可对比的数据"),
        # 中性 indicators are described, not judged
        (("police_stations", 14, 11), "派出所数量由14个减少到11个，减少21.43%"),
    ],
)
def test_change_sentence(item, expected):
    assert change_sentence(row_of(table_of(item), item[0])) == expected


def test_change_sentence_rate():
    obs = pd.DataFrame(
        [
            ("县", Y1, "meeting_count", 20),
            ("县", Y1, "meeting_video", 4),
            ("县", Y2, "meeting_count", 20),
            ("县", Y2, "meeting_video", 7),
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    row = row_of(compare(obs, CATALOG, Y1, Y2), "meeting_video_share")
    assert change_sentence(row) == "视频会议占比由20%提高到35%，提高15个百分点"
    assert points_sentence(row) == "视频会议占比提高15个百分点"


# ---------------------------------------------------------------- level and points


def test_level_sentence_seed_share():
    # seed 003: 377 of 407 = 92.6289…% -> quoted to one decimal
    obs = pd.DataFrame(
        [("分局", "改革后", "frontline_police", 377), ("分局", "改革后", "total_police", 407)],
        columns=["unit", "period", "indicator", "value"],
    )
    row = row_of(compare(obs, CATALOG, "改革前", "改革后"), "frontline_police_share")
    assert level_sentence(row) == "一线警力占比达到92.6%"
    assert level_sentence(row, verb="为") == "一线警力占比为92.6%"


def test_level_sentence_without_value():
    row = row_of(table_of(("doc_count", 81, None)), "doc_count")
    assert level_sentence(row) == "发文数量暂无数据"


@pytest.mark.parametrize(
    "before, after, expected",
    [
        (90, 87.5, "干部对减负成效满意率下降2.5个百分点"),
        (90, 90, "干部对减负成效满意率持平"),
        (None, 90, "干部对减负成效满意率暂无可对比的数据"),
    ],
)
def test_points_sentence(before, after, expected):
    row = row_of(table_of(("satisfaction_rate", before, after)), "satisfaction_rate")
    assert points_sentence(row) == expected


def test_points_sentence_rejects_counts():
    with pytest.raises(ValueError):
        points_sentence(row_of(table_of(("doc_count", 1, 2)), "doc_count"))


# ---------------------------------------------------------------- trend

PERIODS = ["2019年", "2020年", "2021年"]


def trend_row(code, values, unit="区委组织部", periods=PERIODS):
    obs = pd.DataFrame(
        [(unit, p, code, v) for p, v in zip(periods, values, strict=True) if v is not None],
        columns=["unit", "period", "indicator", "value"],
    )
    table = trend(obs, CATALOG, periods)
    return table[table["indicator"] == code].iloc[0]


@pytest.mark.parametrize(
    "code, values, expected",
    [
        # seed 004: 82, 81, 85
        ("doc_count", (82, 81, 85), "发文数量2019年至2021年分别为82件、81件、85件，未实现逐年递减"),
        ("doc_count", (82, 75, 60), "发文数量2019年至2021年分别为82件、75件、60件，实现逐年递减"),
        ("doc_count", (82, None, 60), "发文数量2019年、2021年分别为82件、60件，实现逐年递减"),
        ("doc_count", (None, 81, None), "发文数量2020年为81件"),
        (
            "problems_solved",
            (3, 5, 9),
            "为基层解决实际问题2019年至2021年分别为3项、5项、9项，实现逐年递增",
        ),
        (
            "problems_solved",
            (3, 5, 5),
            "为基层解决实际问题2019年至2021年分别为3项、5项、5项，未实现逐年递增",
        ),
        ("police_stations", (14, 12, 11), "派出所数量2019年至2021年分别为14个、12个、11个"),
    ],
)
def test_trend_sentence(code, values, expected):
    assert trend_sentence(trend_row(code, values), PERIODS) == expected


def test_trend_sentence_from_itertuples_and_ratio_digits():
    obs = pd.DataFrame(
        [
            ("分局", "2020年", "frontline_police", 300),
            ("分局", "2020年", "total_police", 400),
            ("分局", "2021年", "frontline_police", 377),
            ("分局", "2021年", "total_police", 407),
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    periods = ["2020年", "2021年"]
    table = trend(obs, CATALOG, periods)
    share = [r for r in table.itertuples(index=False) if r.indicator == "frontline_police_share"][0]
    assert (
        trend_sentence(share, periods) == "一线警力占比2020年至2021年分别为75%、92.6%，实现逐年递增"
    )


# ---------------------------------------------------------------- summary


def test_summary_sentences_order_and_content():
    table = table_of(
        *SEED_001,
        ("doc_unnumbered", 10, 12),  # lower-better rose: a setback
        ("gov_apps", 0, 2),  # new app: a setback
        ("care_measures", 2, 4),  # higher-better rose: a gain
        ("report_forms", 12, 12),  # flat
        ("police_stations", 14, 11),  # neutral: not summarised
        unit="苍南县",
    )
    assert summary_sentences(table, "全县") == [
        "全县文件、会议、督检考同比分别减少51%、56.6%、76.57%，关心关爱措施同比增加100%",
        "全县无文号来文/便笺数量同比增加20%，政务App由0增加到2个",
        "全县报表台账同比持平",
    ]


@pytest.mark.parametrize(
    "before, after, expected",
    [
        ("2023年", "2024年", "同比"),
        ("2019年", "2021年", "较2019年"),
        ("改革前", "改革后", "较改革前"),
        (None, None, "同比"),
    ],
)
def test_period_phrase(before, after, expected):
    assert period_phrase(before, after) == expected


def test_summary_uses_period_labels_and_unit_filter():
    obs = pd.DataFrame(
        [
            ("甲局", "改革前", "doc_count", 20),
            ("甲局", "改革后", "doc_count", 10),
            ("乙局", "改革前", "doc_count", 5),
            ("乙局", "改革后", "doc_count", 6),
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    table = compare(obs, CATALOG, "改革前", "改革后")
    assert summary_sentences(table, "甲局", unit="甲局") == ["甲局文件较改革前减少50%"]
    assert summary_sentences(table, "乙局", unit="乙局") == ["乙局文件较改革前增加20%"]
    with pytest.raises(ValueError):
        summary_sentences(table, "两局")


def test_names_inserted_as_given():
    table = table_of(("doc_count", 10, 5), unit="<b>某县</b>")
    assert summary_sentences(table, "<b>某县</b>") == ["<b>某县</b>文件同比减少50%"]


def test_summary_splits_long_lists_by_category():
    # 8 cuts over 3 categories (文件 3, 会议 3, 督检考 2): with max_items=4, whole
    # categories are kept together: [文件 3], [会议 3], [督检考 2]; with 6: [文件+会议], [督检考]
    table = table_of(
        ("doc_count", 100, 90),
        ("doc_unnumbered", 100, 80),
        ("doc_received", 100, 70),
        ("meeting_count", 100, 60),
        ("speech_main_minutes", 10, 5),
        ("meeting_minutes", 40, 30),
        ("inspection_items", 100, 50),
        ("inspection_visits", 100, 40),
    )
    assert summary_sentences(table, "全县", max_items=4) == [
        "全县文件、无文号来文/便笺数量、上级来文数量同比分别减少10%、20%、30%",
        "全县会议、主讲话时长、单次会议时长同比分别减少40%、50%、25%",
        "全县督检考、实地督检考次数同比分别减少50%、60%",
    ]
    six = summary_sentences(table, "全县")
    assert len(six) == 2 and six[1] == "全县督检考、实地督检考次数同比分别减少50%、60%"
    # a category larger than max_items is cut into pieces: 文件 2+1, 会议 2+1, 督检考 2
    pieces = summary_sentences(table, "全县", max_items=2)
    assert [s.count("、") for s in pieces] == [2, 0, 2, 0, 2]
    assert pieces[1] == "全县上级来文数量同比减少30%"
