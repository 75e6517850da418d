"""Data sentences, built from real engine rows and checked word for word."""

import pandas as pd
import pytest

from jianfu.catalog import load_catalog
from jianfu.compare import compare, trend
from jianfu.compare.sentences import (
    MAX_FIGURES,
    SMALL_BASE,
    as_rows,
    change_sentence,
    group_sentence,
    left_out_sentence,
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


def video(before, after):
    """视频会议占比 as video/total: (4, 20) is 20%."""
    return pd.DataFrame(
        [
            ("全县", Y1, "meeting_video", before[0]),
            ("全县", Y1, "meeting_count", before[1]),
            ("全县", Y2, "meeting_video", after[0]),
            ("全县", Y2, "meeting_count", after[1]),
        ],
        columns=["unit", "period", "indicator", "value"],
    )


# public exchange material: 文件 200 -> 98 (-51%), 会议 106 -> 46 (-56.6%), 督检考 175 -> 41 (-76.57%)
COUNTY = (("doc_count", 200, 98), ("meeting_count", 106, 46), ("inspection_items", 175, 41))


# ---------------------------------------------------------------- grouped percentages


@pytest.mark.parametrize(
    "items, expected",
    [
        (COUNTY, "全县发文数量、会议数量、督检考事项同比分别减少51%、56.6%、76.57%"),
        # one item: no 分别
        ((("doc_count", 200, 98),), "全县发文数量同比减少51%"),
        # rises and falls in separate clauses, flat ones as 持平
        (
            (("doc_count", 200, 98), ("meeting_count", 40, 50), ("report_forms", 12, 12)),
            "全县发文数量同比减少51%，会议数量同比增加25%，报表台账种类同比持平",
        ),
        ((("report_forms", 12, 12), ("work_groups", 0, 0)), "全县报表台账种类、工作群同比均持平"),
        # a small base reads as counts, a zero base as 由0增加到
        ((("seconded_staff", 4, 1),), "全县借调干部由4人减少到1人"),
        ((("gov_apps", 0, 5),), "全县面向基层政务App数由0增加到5个"),
        # no value before is not a rise: left out
        ((("care_measures", None, 5),), ""),
        ((("doc_count", 200, 98), ("meeting_count", 5, None)), "全县发文数量同比减少51%"),
    ],
)
def test_group_sentence(items, expected):
    assert group_sentence(table_of(*items), "全县") == expected


def test_small_base_cut_off():
    # below SMALL_BASE a count is said as before -> after, from SMALL_BASE on as a percentage
    assert SMALL_BASE == 10
    assert group_sentence(table_of(("veto_items", 9, 6))) == "一票否决事项由9项压减为6项"
    assert group_sentence(table_of(("veto_items", 10, 6))) == "一票否决事项同比减少40%"


# ---------------------------------------------------------------- before -> after


@pytest.mark.parametrize(
    "item, expected",
    [
        # public material: 社区民警工作台账种类 16 -> 10
        (
            ("community_police_ledgers", 16, 10),
            "社区民警工作台账种类由16种精简为10种，减少37.5%",
        ),
        (("report_forms", 52, 28), "报表台账种类由52种精简为28种，减少46.15%"),
        (("meeting_count", 106, 46), "会议数量由106次压减为46次，减少56.6%"),
        (("work_groups", 27, 12), "工作群由27个清理为12个，减少55.56%"),
        (("speech_main_minutes", 65, 45), "主讲话时长由65分钟缩短到45分钟，减少30.77%"),
        (("doc_count", 81, 85), "发文数量由81件增加到85件，增加4.94%"),
        (("report_forms", 12, 12), "报表台账种类保持12种不变"),
        (("gov_apps", 0, 3), "面向基层政务App数由0增加到3个"),
        (("care_measures", None, 5), "关心关爱措施暂无可对比的数据"),
        (("doc_count", 81, None), "发文数量暂无可对比的数据"),
        (("police_stations", 14, 11), "派出所数量由14个减少到11个，减少21.43%"),
    ],
)
def test_change_sentence(item, expected):
    assert change_sentence(row_of(table_of(item), item[0])) == expected


def test_rate_sentences_keep_one_precision_and_add_up():
    # 一线实战部门警力 301/407 = 73.96% -> 377/407 = 92.63%: shown 74.0% -> 92.6%, +18.6
    obs = pd.DataFrame(
        [
            ("分局", "改革前", "frontline_police", 301),
            ("分局", "改革前", "total_police", 407),
            ("分局", "改革后", "frontline_police", 377),
            ("分局", "改革后", "total_police", 407),
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    row = row_of(compare(obs, CATALOG, "改革前", "改革后"), "frontline_police_share")
    assert change_sentence(row) == "一线实战部门警力占比由74.0%提高到92.6%，提高18.6个百分点"
    assert points_sentence(row) == "一线实战部门警力占比提高18.6个百分点"


def test_rate_from_one_decimal_to_a_whole_number():
    row = row_of(compare(video((4, 20), (7, 20)), CATALOG, Y1, Y2), "meeting_video_share")
    assert change_sentence(row) == "视频会议占比由20%提高到35%，提高15个百分点"


# ---------------------------------------------------------------- level and points


def test_level_sentence_share():
    # public material: 377 of 407 = 92.6289…% -> quoted to one decimal
    obs = pd.DataFrame(
        [("分局", "改革后", "frontline_police", 377), ("分局", "改革后", "total_police", 407)],
        columns=["unit", "period", "indicator", "value"],
    )
    row = row_of(compare(obs, CATALOG, "改革前", "改革后"), "frontline_police_share")
    assert level_sentence(row) == "一线实战部门警力占比达到92.6%"
    assert level_sentence(row, verb="为") == "一线实战部门警力占比为92.6%"


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


# ---------------------------------------------------------------- paragraphs


def test_summary_sentences_order_and_content():
    table = table_of(
        *COUNTY,
        ("doc_unnumbered", 10, 12),  # lower-better rose: a setback
        ("gov_apps", 0, 2),  # new app: a setback
        ("care_measures", 2, 4),  # higher-better rose from a small base: a gain
        ("report_forms", 12, 12),  # flat
        ("police_stations", 14, 11),  # neutral: not summarised
        ("staff_sunk", None, 8),  # no base: not said
        unit="某县",
    )
    # the subject is named once, in the first sentence of the paragraph
    assert summary_sentences(table, "全县") == [
        "全县发文数量、会议数量、督检考事项同比分别减少51%、56.6%、76.57%",
        "关心关爱措施由2项增加到4项",
        "无文号来文/便笺数量同比增加20%",
        "面向基层政务App数由0增加到2个",
        "报表台账种类同比持平",
    ]


def test_no_grouped_sentence_carries_more_than_four_figures():
    table = table_of(
        ("doc_count", 100, 90),
        ("doc_unnumbered", 100, 80),
        ("doc_received", 100, 70),
        ("meeting_count", 100, 60),
        ("inspection_items", 100, 50),
        ("inspection_visits", 100, 40),
        ("inspection_escort", 100, 30),
    )
    sentences = summary_sentences(table, "全县")
    assert MAX_FIGURES == 4
    assert all(s.count("%") <= MAX_FIGURES for s in sentences)
    # whole categories kept together where they fit: 文件 3 + 会议 1, then 督检考 3
    assert sentences == [
        "全县发文数量、无文号来文/便笺数量、上级来文数量、会议数量同比分别减少10%、20%、30%、40%",
        "督检考事项、实地督检考次数、迎检陪检次数同比分别减少50%、60%、70%",
    ]


def test_summary_uses_period_labels_and_unit_filter():
    obs = pd.DataFrame(
        [
            ("甲局", "改革前", "doc_count", 20),
            ("甲局", "改革后", "doc_count", 10),
            ("乙局", "改革前", "doc_count", 50),
            ("乙局", "改革后", "doc_count", 60),
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    table = compare(obs, CATALOG, "改革前", "改革后")
    assert summary_sentences(table, "甲局", unit="甲局") == ["甲局发文数量较改革前减少50%"]
    assert summary_sentences(table, "乙局", unit="乙局") == ["乙局发文数量较改革前增加20%"]
    with pytest.raises(ValueError):
        summary_sentences(table, "两局")


def test_summary_of_a_group_says_who_was_left_out():
    obs = pd.DataFrame(
        [
            ("甲镇", Y1, "doc_count", 40),
            ("甲镇", Y2, "doc_count", 30),
            ("乙镇", Y1, "doc_count", 60),
            ("乙镇", Y2, "doc_count", 50),
            ("新镇", Y2, "doc_count", 30),  # entered for 2024 only
        ],
        columns=["unit", "period", "indicator", "value"],
    )
    table = compare(obs, CATALOG, Y1, Y2, group="全县")
    # like for like: 100 -> 80 (-20%), not 100 -> 110 (+10%)
    assert summary_sentences(table, "全县") == [
        "全县发文数量同比减少20%",
        "以上汇总只计各时期都有数据的单位，未计入：新镇的发文数量（2023年无数据）",
    ]


def test_left_out_sentence_names_many_indicators_briefly():
    items = [{"unit": "新镇", "name": n, "missing": "2023年"} for n in "甲乙丙丁戊"]
    assert left_out_sentence(items) == (
        "以上汇总只计各时期都有数据的单位，未计入：新镇的甲、乙、丙等5项（2023年无数据）"
    )
    assert left_out_sentence([]) == ""


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


def test_names_inserted_as_given():
    table = table_of(("doc_count", 10, 5), unit="<b>某县</b>")
    assert summary_sentences(table, "<b>某县</b>") == ["<b>某县</b>发文数量同比减少50%"]


def test_no_nan_or_inf_ever_printed():
    table = table_of(
        ("gov_apps", 0, 5),
        ("doc_count", None, 3),
        ("meeting_count", 0, 0),
        ("work_groups", 4, None),
    )
    text = "".join(
        [group_sentence(table), *summary_sentences(table, "全县")]
        + [change_sentence(r) for r in as_rows(table)]
    )
    assert "nan" not in text.lower() and "inf" not in text.lower() and "—" not in text


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
        # public material: 82, 81, 85
        ("doc_count", (82, 81, 85), "发文数量2019年至2021年分别为82件、81件、85件，未实现逐年递减"),
        ("doc_count", (82, 75, 60), "发文数量2019年至2021年分别为82件、75件、60件，实现逐年递减"),
        # 2020 unknown: it may have risen, so 逐年递减 cannot be said
        (
            "doc_count",
            (82, None, 60),
            "发文数量2019年、2021年分别为82件、60件，2020年无数据，不能说逐年递减",
        ),
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


def test_trend_sentence_from_itertuples_keeps_one_precision():
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
    assert trend_sentence(share, periods) == (
        "一线实战部门警力占比2020年至2021年分别为75.0%、92.6%，实现逐年递增"
    )
