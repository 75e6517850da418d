"""import_file: layouts, forgiving input, every problem located."""

from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

from jianfu.catalog import load_catalog
from jianfu.dataio.importer import import_file
from jianfu.dataio.validate import OBS_COLUMNS
from jianfu.errors import ValidationError
from jianfu.numbers.parse import parse_numbers
from jianfu.text.periods import clean_period
from tests.support.sheetfiles import csv_rows, save, xlsx

CATALOG = load_catalog()


def problems(rows: list[list], name: str = "a.csv") -> list[tuple]:
    """(row, column, message) of every problem, in the order reported."""
    with pytest.raises(ValidationError) as info:
        import_file(csv_rows(rows), name, CATALOG)
    assert all(p.file == name for p in info.value.problems)
    return [(p.row, p.column, p.message) for p in info.value.problems]


def tidy(rows: list[list]) -> list[tuple]:
    obs = import_file(csv_rows(rows), "a.csv", CATALOG).observations
    return list(obs.itertuples(index=False, name=None))


LONG = ["单位", "时期", "指标", "数值"]
WIDE = ["单位", "时期", "发文数量（件）", "会议数量（次）"]


# --- both layouts give the same tidy frame ---------------------------------------------
def test_long_layout():
    result = import_file(
        csv_rows(
            [
                LONG + ["备注"],
                ["区委组织部", "2019年", "发文数量", "82", "含便笺"],
                ["区委组织部", "2020年", "doc_count", "81", ""],
                ["区委组织部", "2021年", "发文数量（件）", "85", ""],
                ["派出所", "改革前", "社区民警工作台账种类", "16", ""],
            ]
        ),
        "a.csv",
        CATALOG,
    )
    assert result.layout == "long"
    assert result.rows_read == 4
    assert list(result.observations.columns) == OBS_COLUMNS
    assert list(result.observations.itertuples(index=False, name=None)) == [
        ("区委组织部", "2019年", "doc_count", 82.0, "含便笺"),
        ("区委组织部", "2020年", "doc_count", 81.0, ""),
        ("区委组织部", "2021年", "doc_count", 85.0, ""),
        ("派出所", "改革前", "community_police_ledgers", 16.0, ""),
    ]
    assert result.units == ["区委组织部", "派出所"]
    assert result.periods == ["2019年", "2020年", "2021年", "改革前"]
    assert result.observations["value"].dtype == np.float64


def test_wide_layout_skips_empty_cells():
    result = import_file(
        csv_rows(
            [
                ["序号", "单位", "时期", "发文数量（件）", "meeting_count", "总警力", "备注"],
                ["1", "分局", "2023年", "82", "", "407", "已核"],
                ["2", "分局", "2024年", "", "—", "", ""],
                ["3", "城关镇", "2024年", "5", "6", "/", ""],
            ]
        ),
        "a.csv",
        CATALOG,
    )
    assert result.layout == "wide"
    assert result.rows_read == 3
    assert list(result.observations.itertuples(index=False, name=None)) == [
        ("分局", "2023年", "doc_count", 82.0, "已核"),
        ("分局", "2023年", "total_police", 407.0, "已核"),
        ("城关镇", "2024年", "doc_count", 5.0, ""),
        ("城关镇", "2024年", "meeting_count", 6.0, ""),
    ]
    assert result.units == ["分局", "城关镇"]
    assert result.periods == ["2023年", "2024年"]


def test_xlsx_numbers_merged_units_and_percent_cells():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位", "时期", "一线实战部门警力", "总警力", "干部对减负成效满意率"])
    ws.append(["分局", 2023, 377, 407, 0.926])
    ws.append([None, "2024年", 380, 407.0, 95])
    ws.merge_cells("A2:A3")
    ws["E2"].number_format = "0.0%"
    obs = import_file(save(wb), "a.xlsx", CATALOG).observations
    assert list(obs.itertuples(index=False, name=None)) == [
        ("分局", "2023年", "frontline_police", 377.0, ""),
        ("分局", "2023年", "total_police", 407.0, ""),
        ("分局", "2023年", "satisfaction_rate", 92.6, ""),
        ("分局", "2024年", "frontline_police", 380.0, ""),
        ("分局", "2024年", "total_police", 407.0, ""),
        ("分局", "2024年", "satisfaction_rate", 95.0, ""),
    ]


def test_our_export_columns_are_accepted():
    header = ["单位", "时期", "指标", "指标代码", "计量单位", "数值", "备注", "来源", "更新时间"]
    assert tidy(
        [
            header,
            [
                "甲",
                "2023年",
                "发文数量",
                "doc_count",
                "件",
                "5",
                "",
                "x.csv",
                "2024-01-01 08:00:00",
            ],
        ]
    ) == [("甲", "2023年", "doc_count", 5.0, "")]


# --- forgiving where unambiguous -------------------------------------------------------
@pytest.mark.parametrize(
    "indicator, cell, value",
    [
        ("发文数量", " 82 ", 82.0),
        ("发文数量", "８２", 82.0),  # full-width digits
        ("发文数量", "1,234", 1234.0),  # thousands separator
        ("发文数量", "1，234", 1234.0),  # full-width comma
        ("发文数量", "82件", 82.0),  # the indicator's own measure
        ("发文数量", "82 件", 82.0),
        ("单件文件平均字数", "4,800.5", 4800.5),
        ("报送频次", "12次/年", 12.0),
        ("干部对减负成效满意率", "92.6%", 92.6),
        ("干部对减负成效满意率", "92.6％", 92.6),
        ("干部对减负成效满意率", "0", 0.0),
        ("干部对减负成效满意率", "100", 100.0),
        ("主讲话时长", "45.5", 45.5),  # duration may be fractional
        ("发文数量", "+5", 5.0),
        ("发文数量", "1e2", 100.0),
    ],
)
def test_forgiving_numbers(indicator, cell, value):
    assert tidy([LONG, ["甲", "2023年", indicator, cell]]) == [
        ("甲", "2023年", CATALOG.match(indicator).code, value, "")
    ]


@pytest.mark.parametrize("cell", ["", " ", "-", "—", "——", "/", "－"])
def test_no_data_marks_are_skipped(cell):
    assert tidy([LONG, ["甲", "2023年", "发文数量", cell], ["甲", "2023年", "会议数量", "3"]]) == [
        ("甲", "2023年", "meeting_count", 3.0, "")
    ]


@pytest.mark.parametrize(
    "raw, label",
    [
        (2023, "2023年"),
        (2023.0, "2023年"),
        ("2023", "2023年"),
        ("２０２３年", "2023年"),
        ("2023 年", "2023年"),
        ("改革前", "改革前"),
        ("2023年上半年", "2023年上半年"),
        ("'-改革后", "-改革后"),  # our export's formula guard is undone
        (None, ""),
    ],
)
def test_clean_period(raw, label):
    assert clean_period(raw) == label


def test_unit_spaces_and_formula_guard():
    assert tidy(
        [
            LONG,
            ["\u3000城关镇 ", "2023年", "发文数量", "1"],
            ['\'=HYPERLINK("x")', "2023年", "发文数量", "2"],
        ]
    ) == [
        ("城关镇", "2023年", "doc_count", 1.0, ""),
        ('=HYPERLINK("x")', "2023年", "doc_count", 2.0, ""),
    ]


def test_identical_duplicates_are_merged_silently():
    assert tidy(
        [LONG, ["甲", "2023年", "发文数量", "5"], ["甲", "2023年", "doc_count", "5件"]]
    ) == [("甲", "2023年", "doc_count", 5.0, "")]


def test_parse_numbers_marks_blank_and_bad():
    raw = pd.Series(
        [82, 82.5, None, float("nan"), "八十二", "—", True, "inf", "1,23"], dtype=object
    )
    value, blank = parse_numbers(raw, ("件",))
    assert list(blank) == [False, False, True, True, False, True, False, False, False]
    assert value.tolist()[:2] == [82.0, 82.5]
    assert value.iloc[[4, 6, 8]].isna().all()
    assert value.iloc[7] == np.inf  # not finite: the importer reports it as text


# --- every problem, with the row and column a user sees ---------------------------------
@pytest.mark.parametrize(
    "rows, expected",
    [
        # text in a number cell
        (
            [LONG, ["甲", "2023年", "发文数量", "八十二"]],
            [(2, "数值", "数值应为数字，而不是“八十二”")],
        ),
        (
            [WIDE, ["甲", "2023年", "5", "12件"]],  # 件 is not this indicator's measure
            [(2, "会议数量（次）", "数值应为数字，而不是“12件”")],
        ),
        ([LONG, ["甲", "2023年", "发文数量", "1,23"]], [(2, "数值", "数值应为数字，而不是“1,23”")]),
        ([LONG, ["甲", "2023年", "发文数量", "inf"]], [(2, "数值", "数值应为数字，而不是“inf”")]),
        # negative, non-integer count, percent out of range
        (
            [LONG, ["甲", "2023年", "发文数量", "-3"]],
            [(2, "数值", "数值不能为负数（填写的是“-3”）")],
        ),
        (
            [LONG, ["甲", "2023年", "主讲话时长", "-0.5"]],
            [(2, "数值", "数值不能为负数（填写的是“-0.5”）")],
        ),
        (
            [WIDE, ["甲", "2023年", "3.5", "2"]],
            [(2, "发文数量（件）", "计数类指标应填写整数，而不是“3.5”")],
        ),
        (
            [LONG, ["甲", "2023年", "干部对减负成效满意率", "120"]],
            [(2, "数值", "百分比应在0到100之间，而不是“120”")],
        ),
        (
            [LONG, ["甲", "2023年", "干部对减负成效满意率", "100.5%"]],
            [(2, "数值", "百分比应在0到100之间，而不是“100.5%”")],
        ),
        # empty unit or period (a wide row is reported once, not once per cell)
        (
            [WIDE, ["", "2023年", "5", "6"], ["乙", " ", "1", ""]],
            [(2, "单位", "单位不能为空"), (3, "时期", "时期不能为空")],
        ),
        (
            [["单位名称", "年度", "发文数量"], ["", "2023年", "5"]],
            [(2, "单位名称", "单位不能为空")],
        ),
        # a totals row
        # unknown indicators, with suggestions
        (
            [LONG, ["甲", "2023年", "会议次数", "5"], ["甲", "2023年", "", "1"]],
            [
                (2, "指标", "无法识别的指标“会议次数”，您是不是要找：“会议数量”或“视频会议数量”？"),
                (3, "指标", "指标不能为空"),
            ],
        ),
        (
            [LONG, ["甲", "2023年", "天气", "5"]],
            [
                (
                    2,
                    "指标",
                    "无法识别的指标“天气”，请使用指标目录（模板的“指标目录”表）中的名称或代码",
                )
            ],
        ),
        (
            [["单位", "时期", "发文数", "负责人", "填报人"], ["甲", "2023年", "5", "张三", "李四"]],
            [
                (
                    1,
                    "发文数",
                    "无法识别的指标列“发文数”，您是不是要找：“发文数量”？（如不是指标，请删除此列）",
                ),
                (
                    1,
                    "负责人",
                    "无法识别的指标列“负责人”，请使用指标目录（模板的“指标目录”表）中的名称或代码"
                    "（如不是指标，请删除此列）",
                ),
            ],
        ),
        (
            [["单位", "时期", "发文数量", ""], ["甲", "2023年", "5", "7"]],
            [
                (
                    1,
                    None,
                    "D列有数据但没有列标题（如第2行D列的“7”），"
                    "请删除这些格子或给它们所在的列填写指标名称",
                )
            ],
        ),
        (
            [["单位", "时期", "发文数量", "doc_count"], ["甲", "2023年", "5", "5"]],
            [(1, "doc_count", "与“发文数量”列是同一指标（发文数量），请只保留一列")],
        ),
        (
            [
                ["单位", "时期", "指标", "指标代码", "数值"],
                ["甲", "2023年", "会议数量", "doc_count", "5"],
            ],
            [
                (
                    2,
                    "指标代码",
                    "“指标”列是“会议数量”，而“指标代码”列是“doc_count”（发文数量），两者不一致",
                )
            ],
        ),
        # ratios are computed, never typed in
        (
            [["单位", "时期", "一线警力占比（%）", "总警力"], ["甲", "2023年", "92.6", "407"]],
            [
                (
                    1,
                    "一线警力占比（%）",
                    "“一线实战部门警力占比”由“一线实战部门警力”和“总警力”计算得出，请填写这两项",
                )
            ],
        ),
        (
            [LONG, ["甲", "2023年", "视频会议占比", "30"]],
            [(2, "指标", "“视频会议占比”由“视频会议数量”和“会议数量”计算得出，请填写这两项")],
        ),
        # conflicting duplicates name both rows
        (
            [
                LONG,
                ["甲", "2023年", "发文数量", "5"],
                ["乙", "2023年", "发文数量", "1"],
                ["甲", "2023年", "doc_count", "6"],
            ],
            [(4, "数值", "与第2行重复（同一单位、时期和指标），但数值不同：第2行为5，本行为6")],
        ),
        (
            [WIDE, ["甲", "2023", "5", ""], ["甲", "2023年", "7", ""]],
            [
                (
                    3,
                    "发文数量（件）",
                    "与第2行重复（同一单位、时期和指标），但数值不同：第2行为5，本行为7",
                )
            ],
        ),
        (
            [["单位", "时期", "发文数量", "单位名称"], ["甲", "2023年", "5", "乙"]],
            [(1, "单位名称", "与第1列“单位”重复，请只保留一列")],
        ),
        # missing columns and nothing to import
        (
            [["单位", "指标", "数值"], ["甲", "发文数量", "5"]],
            [(1, None, "缺少必需的列：“时期”（长表应有“单位、时期、指标、数值”四列）")],
        ),
        (
            [["单位", "时期", "指标"], ["甲", "2023年", "发文数量"]],
            [(1, None, "缺少必需的列：“数值”（长表应有“单位、时期、指标、数值”四列）")],
        ),
        (
            [["名称", "发文数量"], ["甲", "5"]],
            [
                (
                    1,
                    None,
                    "缺少必需的列：“单位”、“时期”（宽表应有“单位”“时期”两列，其后每个指标一列）",
                ),
                (
                    1,
                    "名称",
                    "无法识别的指标列“名称”，请使用指标目录（模板的“指标目录”表）中的名称或代码"
                    "（如不是指标，请删除此列）",
                ),
            ],
        ),
        (
            [["单位", "时期", "备注"], ["甲", "2023年", "无"]],
            [
                (
                    1,
                    None,
                    "没有找到任何指标列：列标题应为指标名称、代码或“名称（计量单位）”，可下载模板对照",
                )
            ],
        ),
        (
            [WIDE, ["甲", "2023年", "", ""]],
            [(None, None, "没有找到任何数值：指标格子都是空的，请填写数据后再导入")],
        ),
    ],
    ids=lambda v: None,
)
def test_problems(rows, expected):
    assert problems(rows) == expected


def test_all_problems_are_reported_in_file_order():
    found = problems(
        [
            ["单位", "时期", "发文数量（件）", "会议数量（次）", "干部对减负成效满意率"],
            ["甲", "2023年", "八十二", "-1", "101"],
            ["", "2023年", "1.5", "2", ""],
            ["乙", "", "3", "", ""],
        ]
    )
    assert found == [
        (2, "发文数量（件）", "数值应为数字，而不是“八十二”"),
        (2, "会议数量（次）", "数值不能为负数（填写的是“-1”）"),
        (2, "干部对减负成效满意率", "百分比应在0到100之间，而不是“101”"),
        (3, "单位", "单位不能为空"),
        (3, "发文数量（件）", "计数类指标应填写整数，而不是“1.5”"),
        (4, "时期", "时期不能为空"),
    ]


def test_message_lists_fifty_and_counts_the_rest():
    rows = [LONG] + [["甲", f"{2000 + i}年", "发文数量", "x"] for i in range(60)]
    with pytest.raises(ValidationError) as info:
        import_file(csv_rows(rows), "a.csv", CATALOG)
    assert len(info.value.problems) == 60
    lines = str(info.value).splitlines()
    assert len(lines) == 51
    assert lines[0] == "文件“a.csv”第2行“数值”列：数值应为数字，而不是“x”"
    assert lines[-1] == "……另有10处问题未列出"


def test_gbk_file_errors_name_rows_too():
    data = csv_rows([LONG, ["甲", "2023年", "发文数量", "八十二"]], encoding="gbk")
    with pytest.raises(ValidationError) as info:
        import_file(data, "数据.csv", CATALOG)
    assert str(info.value) == "文件“数据.csv”第2行“数值”列：数值应为数字，而不是“八十二”"


def test_xlsx_bool_and_date_cells_are_not_numbers():
    data = xlsx(
        ("Sheet", [WIDE, ["甲", "2023年", True, pd.Timestamp("2024-01-02").to_pydatetime()]])
    )
    with pytest.raises(ValidationError) as info:
        import_file(data, "a.xlsx", CATALOG)
    assert [(p.row, p.column, p.message) for p in info.value.problems] == [
        (2, "发文数量（件）", "数值应为数字，而不是“TRUE”"),
        (2, "会议数量（次）", "数值应为数字，而不是“2024-01-02”"),
    ]


# --- big files -----------------------------------------------------------------------
def test_ten_thousand_rows():
    parts = {i.numerator for i in CATALOG if i.is_ratio}  # a part may not exceed its whole
    codes = [i.code for i in CATALOG if i.kind == "count" and i.code not in parts][:10]
    rows = [LONG + ["备注"]] + [
        [f"单位{n // 10}", "2023年", codes[n % 10], str(n), ""] for n in range(10_000)
    ]
    result = import_file(csv_rows(rows), "big.csv", CATALOG)
    assert len(result.observations) == 10_000
    assert result.observations["value"].sum() == sum(range(10_000))
    assert len(result.units) == 1_000
