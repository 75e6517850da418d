"""template_xlsx: the blank workbook users fill in, and that it imports back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from jianfu.catalog import load_catalog
from jianfu.dataio.importer import import_file
from jianfu.dataio.template import entered_indicators, template_xlsx
from jianfu.errors import ValidationError
from tests.support.sheetfiles import save

CATALOG = load_catalog()
RATIOS = [i for i in CATALOG if i.is_ratio]


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_sheets_and_header():
    wb = load(template_xlsx(CATALOG))
    assert wb.sheetnames == ["填报", "说明", "指标目录"]
    header = [c.value for c in wb["填报"][1]]
    assert header[:4] == ["单位", "时期", "发文数量（件）", "无文号来文/便笺数量（件）"]
    assert header[-1] == "备注"
    assert header[2:-1] == [i.label for i in entered_indicators(CATALOG)]
    assert len(header) == len(CATALOG) - len(RATIOS) + 3
    assert not {i.label for i in RATIOS} & set(header)
    assert wb["填报"].freeze_panes == "C2"
    assert wb["填报"]["C1"].font.b


def test_columns_are_grouped_by_category_order():
    categories = [i.category for i in entered_indicators(CATALOG)]
    firsts = list(dict.fromkeys(categories))
    assert firsts == [
        "文件",
        "会议",
        "督检考",
        "报表台账",
        "指尖负担",
        "借调",
        "人员下沉",
        "关爱赋能",
        "成效",
    ]
    # each category is one contiguous block
    assert (
        sum(1 for a, b in zip(categories, categories[1:], strict=False) if a != b)
        == len(firsts) - 1
    )


@pytest.mark.parametrize(
    "units, periods, rows",
    [
        ([], [], []),
        (
            ["甲镇", "乙镇"],
            ["2023年", "2024年"],
            [("甲镇", "2023年"), ("甲镇", "2024年"), ("乙镇", "2023年"), ("乙镇", "2024年")],
        ),
        (["甲镇"], [], [("甲镇", None)]),
        ([], ["改革前", "改革后"], [(None, "改革前"), (None, "改革后")]),
    ],
)
def test_prefilled_rows(units, periods, rows):
    ws = load(template_xlsx(CATALOG, units, periods))["填报"]
    assert [(r[0], r[1]) for r in ws.iter_rows(min_row=2, values_only=True)] == rows


def test_data_validation_by_kind():
    ws = load(template_xlsx(CATALOG))["填报"]
    header = [c.value for c in ws[1]]
    kinds = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            kinds[header[cell_range.min_col - 1]] = (dv.type, dv.operator, dv.formula1, dv.formula2)
    # the indicator's own value rules (jianfu.catalog.values), the same the importer applies
    assert kinds["发文数量（件）"] == ("whole", "between", "0", "100000000")
    assert kinds["主讲话时长（分钟）"] == ("decimal", "between", "0", "1000000")
    assert kinds["干部对减负成效满意率（%）"] == ("decimal", "between", "0", "100")
    assert "单位" not in kinds and "备注" not in kinds


def test_guide_explains_filling_and_ratios():
    ws = load(template_xlsx(CATALOG))["说明"]
    text = "\n".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "基层减负数据填报说明" in text
    for ratio in RATIOS:
        num, den = CATALOG[ratio.numerator].name, CATALOG[ratio.denominator].name
        assert f"由“{num}”÷“{den}”自动计算，无需填写。" in text
    rows = {r[1]: r for r in ws.iter_rows(values_only=True) if r[1]}
    assert rows["主讲话时长"][:5] == ("会议", "主讲话时长", "分钟", "时长", "越少越好")


def test_catalog_sheet_lists_every_indicator():
    ws = load(template_xlsx(CATALOG))["指标目录"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("指标代码", "指标名称", "类别")
    assert [r[0] for r in rows[1:]] == CATALOG.codes()
    speech = next(r for r in rows if r[0] == "speech_main_minutes")
    assert speech[9] == "不超过60分钟（中央）；不超过40分钟（地方）；不超过20分钟（示例）"


def test_filled_template_imports():
    wb = load(template_xlsx(CATALOG, ["区委组织部"], ["2019年", "2020年"]))
    ws = wb["填报"]
    col = {c.value: c.column for c in ws[1]}
    ws.cell(2, col["发文数量（件）"], 82)
    ws.cell(3, col["发文数量（件）"], "81")
    ws.cell(3, col["干部对减负成效满意率（%）"], 92.6)
    ws.cell(3, col["备注"], "初步统计")
    result = import_file(save(wb), "填好的模板.xlsx", CATALOG)
    assert result.layout == "wide"
    assert list(result.observations.itertuples(index=False, name=None)) == [
        ("区委组织部", "2019年", "doc_count", 82.0, ""),
        ("区委组织部", "2020年", "doc_count", 81.0, "初步统计"),
        ("区委组织部", "2020年", "satisfaction_rate", 92.6, "初步统计"),
    ]


def test_filled_template_errors_point_at_cells():
    wb = load(template_xlsx(CATALOG, ["甲镇"], ["2023年"]))
    ws = wb["填报"]
    ws["C2"] = "八十二"
    with pytest.raises(ValidationError) as info:
        import_file(save(wb), "模板.xlsx", CATALOG)
    assert (
        str(info.value)
        == "文件“模板.xlsx”工作表“填报”第2行“发文数量（件）”列：数值应为数字，而不是“八十二”"
    )


def test_unfilled_template_says_there_is_nothing_to_import():
    with pytest.raises(ValidationError) as info:
        import_file(template_xlsx(CATALOG, ["甲镇"], ["2023年"]), "模板.xlsx", CATALOG)
    assert (
        info.value.problems[0].message == "没有找到任何数值：指标格子都是空的，请填写数据后再导入"
    )


def test_formula_like_unit_is_prefilled_as_text():
    ws = load(template_xlsx(CATALOG, ["=1+1"], ["2023年"]))["填报"]
    assert (ws["A2"].value, ws["A2"].data_type) == ("'=1+1", "s")
