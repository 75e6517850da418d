"""Spreadsheets as offices really send them, generated here (no binaries committed).

Each case was a wrong number stored without a word, or a traceback: a value is
stored exactly as meant, or the user gets a Chinese message naming the file,
sheet, row and column.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from jianfu.dataio.importer import import_file
from jianfu.text.characters import clean_name
from tests.support.sheetfiles import CATALOG, problems, values, xlsx

# ---- measures in headers and in a 计量单位 column -----------------------------------


def test_exact_measures_in_headers_are_converted_and_said():
    data = xlsx(
        (
            "数据",
            [
                [
                    "单位",
                    "时期",
                    "单次会议时长（小时）",
                    "发文数量（万件）",
                    "单件文件平均字数（千字）",
                ],
                ["甲镇", "2024年", 1.5, 0.0031, 4.2],
            ],
        )
    )
    result = import_file(data, "表.xlsx", CATALOG)
    assert values(result) == {
        ("甲镇", "2024年", "meeting_minutes"): 90,  # not 1.5 分钟
        ("甲镇", "2024年", "doc_count"): 31,
        ("甲镇", "2024年", "doc_avg_chars"): 4200,
    }
    assert "“单次会议时长（小时）”列已按1小时=60分钟换算" in result.notes
    assert "“发文数量（万件）”列已按1万件=10000件换算" in result.notes


def test_a_measure_that_does_not_convert_exactly_is_refused():
    data = xlsx(("数据", [["单位", "时期", "单次会议时长（天）"], ["甲镇", "2024年", 1]]))
    assert problems(data) == [
        "文件“表.xlsx”工作表“数据”第1行“单次会议时长（天）”列：列标题中的计量单位“天”无法换算为"
        "“单次会议时长”的计量单位“分钟”，请按“分钟”填写并把列标题改为“单次会议时长（分钟）”"
    ]


def test_a_measure_column_in_the_long_layout():
    rows = [
        ["单位", "时期", "指标", "数值", "计量单位"],
        ["甲镇", "2024年", "单次会议时长", 1.5, "小时"],
        ["甲镇", "2024年", "发文数量", 30, "件"],
        ["乙镇", "2024年", "单次会议时长", 2, "天"],
    ]
    data = xlsx(("数据", rows))
    assert problems(data) == [
        "文件“表.xlsx”工作表“数据”第4行“计量单位”列：计量单位“天”无法换算为指标的计量单位“分钟”"
    ]
    result = import_file(xlsx(("数据", rows[:3])), "表.xlsx", CATALOG)
    assert values(result)[("甲镇", "2024年", "meeting_minutes")] == 90
    assert "单次会议时长第2行的计量单位是“小时”，已按1小时=60分钟换算" in result.notes


# ---- total rows in their many spellings ---------------------------------------------


@pytest.mark.parametrize(
    "label", ["合计", "全县合计", "合计：", "合  计", "总计（2个镇）", "城区小计"]
)
def test_total_rows_are_left_out_and_said(label):
    csv = f"单位,时期,发文数量\n甲镇,2024年,30\n乙镇,2024年,20\n{label},2024年,50\n".encode()
    result = import_file(csv, "表.csv", CATALOG)
    assert set(result.units) == {"甲镇", "乙镇"}
    assert result.notes[0].startswith(f"第4行“{clean_name(label)}”是合计或小计行，未导入")


def test_a_total_that_does_not_add_up_is_reported():
    csv = "单位,时期,发文数量\n甲镇,2024年,30\n乙镇,2024年,20\n全县合计,2024年,48\n".encode()
    result = import_file(csv, "表.csv", CATALOG)
    assert "第4行“全县合计”的发文数量为48，上面各行之和为50，请核对" in result.notes


def test_subtotals_and_a_grand_total_that_add_up_say_nothing_more():
    rows = [
        "单位,时期,发文数量",
        "甲镇,2024年,30",
        "乙镇,2024年,20",
        "东片小计,2024年,50",
        "丙镇,2024年,5",
        "西片小计,2024年,5",
        "全县合计,2024年,55",
    ]
    result = import_file("\n".join(rows).encode(), "表.csv", CATALOG)
    assert len(result.notes) == 1  # only the note that the three rows were left out
    assert set(result.units) == {"甲镇", "乙镇", "丙镇"}


# ---- where the table starts -----------------------------------------------------------


def test_title_rows_and_label_lines_above_the_header_are_skipped():
    data = xlsx(
        (
            "数据",
            [
                ["2024年基层减负情况统计表"],
                ["填报单位", "示例县委办", None, "填报日期", "2025-01-05"],
                [],
                ["单位", "时期", "发文数量（件）", "会议数量（次）"],
                ["甲镇", "2024年", 30, 12],
            ],
        )
    )
    result = import_file(data, "表.xlsx", CATALOG)
    assert values(result) == {
        ("甲镇", "2024年", "doc_count"): 30,
        ("甲镇", "2024年", "meeting_count"): 12,
    }


def test_a_two_row_merged_header():
    def merge(wb):
        ws = wb["数据"]
        ws.merge_cells("A1:A2")  # 单位
        ws.merge_cells("B1:B2")  # 时期
        ws.merge_cells("C1:D1")  # 文件 over 发文数量 | 上级来文数量

    data = xlsx(
        (
            "数据",
            [
                ["单位", "时期", "文件", None],
                [None, None, "发文数量", "上级来文数量"],
                ["甲镇", "2024年", 30, 200],
            ],
        ),
        build=merge,
    )
    result = import_file(data, "表.xlsx", CATALOG)
    assert values(result) == {
        ("甲镇", "2024年", "doc_count"): 30,
        ("甲镇", "2024年", "doc_received"): 200,
    }


def test_data_on_a_later_sheet_is_found_and_the_user_can_pick_another():
    data = xlsx(
        ("封面", [["2024年基层减负情况"], ["示例县委办 编"]]),
        ("镇", [["单位", "时期", "发文数量"], ["甲镇", "2024年", 30]]),
        ("部门", [["单位", "时期", "发文数量"], ["财政局", "2024年", 12]]),
    )
    first = import_file(data, "表.xlsx", CATALOG)
    assert (first.sheet, first.sheets, first.units) == ("镇", ("封面", "镇", "部门"), ["甲镇"])
    other = import_file(data, "表.xlsx", CATALOG, sheet="部门")
    assert other.units == ["财政局"]
    assert problems(data, sheet="没有") == [
        "文件“表.xlsx”：找不到有数据的工作表“没有”，有数据的工作表是：“封面”、“镇”、“部门”"
    ]


def test_header_problems_name_the_real_row_and_the_sheet():
    data = xlsx(
        ("说明页", [["请在下一张表填写"]]),
        ("填报", [["2024年数据"], [], ["单位", "时期", "发问数量"], ["甲镇", "2024年", 30]]),
    )
    [message] = problems(data)
    assert message.startswith(
        "文件“表.xlsx”工作表“填报”第3行“发问数量”列：无法识别的指标列“发问数量”"
    )


# ---- cells that are not plain numbers ------------------------------------------------


@pytest.mark.parametrize("typed", ["45¹", "⑫", "½"])
def test_superscripts_and_circled_digits_are_refused(typed):
    csv = f"单位,时期,发文数量\n甲镇,2024年,{typed}\n".encode()
    assert problems(csv, "表.csv") == [
        f"文件“表.csv”第2行“发文数量”列：数值应为数字，而不是“{typed}”"
    ]


def test_a_formula_without_a_saved_result_is_reported():
    def formula(wb):
        wb["数据"]["C3"] = "=C2+1"  # openpyxl saves no computed value, like other software

    data = xlsx(
        ("数据", [["单位", "时期", "发文数量"], ["甲镇", "2024年", 30], ["乙镇", "2024年", None]]),
        build=formula,
    )
    [message] = problems(data)
    assert message.startswith(
        "文件“表.xlsx”工作表“数据”第3行“发文数量”列：这个格子是公式，但文件里没有保存计算结果"
    )


def test_a_fraction_in_a_percent_column_is_asked_about():
    csv = "单位,时期,干部对减负成效满意率\n甲镇,2024年,0.926\n乙镇,2024年,0.85\n".encode()
    result = import_file(csv, "表.csv", CATALOG)
    assert result.questions == {
        "satisfaction_rate": "“干部对减负成效满意率”有2个不带%的数值在0到1之间（如第2行的0.926），"
        "是指92.6%这样的比例，还是就是0.926%？"
    }
    meant = import_file(csv, "表.csv", CATALOG, fractions={"satisfaction_rate": "percent"})
    assert values(meant)[("甲镇", "2024年", "satisfaction_rate")] == 92.6
    assert values(meant)[("乙镇", "2024年", "satisfaction_rate")] == 85
    kept = import_file(csv, "表.csv", CATALOG, fractions={"satisfaction_rate": "as_is"})
    assert values(kept)[("甲镇", "2024年", "satisfaction_rate")] == 0.926 and not kept.questions


def test_hidden_and_filtered_rows_are_imported_and_counted():
    def hide(wb):
        wb["数据"].row_dimensions[3].hidden = True

    data = xlsx(
        ("数据", [["单位", "时期", "发文数量"], ["甲镇", "2024年", 30], ["乙镇", "2024年", 20]]),
        build=hide,
    )
    result = import_file(data, "表.xlsx", CATALOG)
    assert set(result.units) == {"甲镇", "乙镇"}
    assert result.notes == ("表中有1行在Excel中被隐藏或筛选掉（第3行），也一并导入了，请确认",)


def test_logical_cells_and_long_names_are_named_with_their_row():
    data = xlsx(
        ("数据", [["单位", "时期", "发文数量"], ["甲镇", "2024年", True], ["镇" * 61, "2024年", 3]])
    )
    assert problems(data) == [
        "文件“表.xlsx”工作表“数据”第2行“发文数量”列：数值应为数字，而不是“TRUE”",
        "文件“表.xlsx”工作表“数据”第3行“单位”列：单位名称过长（最多60个字）：“镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇镇……”",
    ]


def test_values_beyond_a_sane_maximum_are_refused():
    csv = "单位,时期,发文数量,单次会议时长\n甲镇,2024年,1e26,1e308\n".encode()
    assert problems(csv, "表.csv") == [
        "文件“表.csv”第2行“发文数量”列：数值过大（“1e26”），请检查是否多填了位数",
        "文件“表.csv”第2行“单次会议时长”列：数值过大（“1e308”），请检查是否多填了位数",
    ]


# ---- names that look the same -----------------------------------------------------------


def test_names_that_only_differ_in_spacing_or_width_are_one_unit(demo_store):
    csv = (
        "单位,时期,发文数量\n"
        "示例县  城关镇,2024年度,30\n"  # double space, 年度
        "示例县城\u200b关镇,２０２４年,30\n"  # zero-width space, full-width digits
        '"示例县\n城关镇",2024年,30\n'  # a line break inside the cell
    ).encode()
    result = import_file(csv, "表.csv", demo_store.catalog())
    changes = demo_store.preview(result.observations)
    assert set(changes["unit"]) == {"示例县城关镇"} and set(changes["period"]) == {"2024年"}
    assert ("示例县 城关镇", "示例县城关镇") in changes.attrs["renamed"]
    saved = demo_store.save_observations(result.observations)  # no KeyError any more
    assert saved.new_units == () and saved.new_periods == ()
    assert demo_store.values_of("示例县城关镇", "2024年")["doc_count"] == 30


def test_a_period_with_a_comma_works_everywhere(demo_store):
    from jianfu.compare import compare

    csv = '单位,时期,发文数量\n甲镇,"2024年上、下半年合并",30\n甲镇,2023年,40\n'.encode()
    demo_store.save_observations(import_file(csv, "表.csv", demo_store.catalog()).observations)
    order = demo_store.periods()
    demo_store.set_period_order([*order[::-1]])
    assert "2024年上、下半年合并" in demo_store.periods()
    table = compare(
        demo_store.observations(), demo_store.catalog(), "2023年", "2024年上、下半年合并"
    )
    assert table.set_index(["unit", "indicator"]).loc[("甲镇", "doc_count"), "after"] == 30


def test_template_header_cells_are_never_formulas(store):
    from jianfu.dataio.template import template_xlsx

    store.add_custom_indicator(
        {
            "name": '=HYPERLINK("http://x","点我")',
            "category": "成效",
            "measure": "项",
            "direction": "越多越好",
            "kind": "count",
            "aggregate": "sum",
        }
    )
    wb = openpyxl.load_workbook(io.BytesIO(template_xlsx(store.catalog())))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
