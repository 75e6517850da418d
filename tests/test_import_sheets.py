"""Which sheet, which cells: hidden sheets, merged value cells, dates shown as periods.

Each case stored a wrong number without a word before (issue 16, items 1, 4, 7).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from jianfu.dataio.importer import import_file
from jianfu.errors import ValidationError
from tests.support.sheetfiles import CATALOG, problems, values, xlsx

VISIBLE = ("数据", [["单位", "时期", "发文数量"], ["示例县", "2024年", 77]])
OLD = (
    "旧数据",
    [["单位", "时期", "发文数量", "会议数量", "督检考事项数"], ["示例县", "2024年", 500, 9, 3]],
)


def hide(state):
    def build(wb):
        wb["旧数据"].sheet_state = state

    return build


# ---- item 1: a hidden sheet never wins ---------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_sheet_is_never_chosen_automatically(state):
    data = xlsx(VISIBLE, OLD, build=hide(state))
    result = import_file(data, "表.xlsx", CATALOG)
    assert result.sheet == "数据"
    assert values(result) == {("示例县", "2024年", "doc_count"): 77}
    assert result.hidden_sheets == ("旧数据",)
    assert "隐藏的工作表“旧数据”也有数据，没有导入；如要导入它，请另选工作表" in result.notes


def test_a_hidden_sheet_listed_first_still_loses():
    data = xlsx(OLD, VISIBLE, build=hide("hidden"))
    assert import_file(data, "表.xlsx", CATALOG).sheet == "数据"


def test_when_only_hidden_sheets_hold_data_the_user_must_pick_one():
    cover = ("封面", [["2024年基层减负情况"]])
    data = xlsx(cover, OLD, build=hide("hidden"))
    with pytest.raises(ValidationError) as info:
        import_file(data, "表.xlsx", CATALOG)
    assert [str(p) for p in info.value.problems] == [
        "文件“表.xlsx”：数据表只在隐藏的工作表“旧数据”中；隐藏的工作表不会自动导入，"
        "如确要导入，请选择工作表（命令行用 --sheet 工作表名称）"
    ]
    assert info.value.sheets == ("封面", "旧数据") and info.value.hidden_sheets == ("旧数据",)
    chosen = import_file(data, "表.xlsx", CATALOG, sheet="旧数据")
    assert chosen.sheet == "旧数据" and values(chosen)[("示例县", "2024年", "doc_count")] == 500
    assert "工作表“旧数据”在Excel中是隐藏的，请确认要导入的是它" in chosen.notes


def test_cli_names_a_hidden_sheet_and_takes_it_only_when_asked(tmp_path, data_dir, capsys):
    from jianfu.cli import main

    path = tmp_path / "表.xlsx"
    path.write_bytes(xlsx(("封面", [["标题"]]), OLD, build=hide("hidden")))
    assert main(["import", str(path), "--dry-run"]) == 2
    assert "隐藏的工作表“旧数据”" in capsys.readouterr().err
    assert main(["import", str(path), "--dry-run", "--sheet", "旧数据"]) == 0
    assert "读取工作表“旧数据”（隐藏）1行" in capsys.readouterr().out


# ---- item 4: a merged value cell is not copied into every row ----------------------------


def test_a_value_merged_over_two_unit_rows_is_refused():
    def merge(wb):
        wb["数据"].merge_cells("C2:C3")

    rows = [["单位", "时期", "借调基层干部人数"], ["甲镇", "2024年", 3], ["乙镇", "2024年", None]]
    assert problems(xlsx(("数据", rows), build=merge)) == [
        "文件“表.xlsx”工作表“数据”第2行“借调基层干部人数”列：数值格子与其他格子合并在一起（C2:C3，"
        "跨第2行至第3行），会被算作每一行的数值；请取消合并，把数值只填在它所属的那一格"
    ]


def test_a_value_merged_over_two_indicator_columns_is_refused():
    def merge(wb):
        wb["数据"].merge_cells("C2:D2")

    rows = [["单位", "时期", "发文数量", "会议数量"], ["甲镇", "2024年", 30, None]]
    assert problems(xlsx(("数据", rows), build=merge)) == [
        "文件“表.xlsx”工作表“数据”第2行“发文数量”列：数值格子与其他格子合并在一起（C2:D2，"
        "跨“发文数量”至“会议数量”列），会被算作每一列的数值；请取消合并，把数值只填在它所属的那一格"
    ]


def test_merged_unit_and_period_labels_are_still_filled_down():
    def merge(wb):
        wb["数据"].merge_cells("A2:A3")  # one unit over its two periods
        wb["数据"].merge_cells("B4:B5")  # one period over two units

    rows = [
        ["单位", "时期", "发文数量"],
        ["甲镇", "2023年", 30],
        [None, "2024年", 20],
        ["乙镇", "2024年", 5],
        ["丙镇", None, 6],
    ]
    result = import_file(xlsx(("数据", rows), build=merge), "表.xlsx", CATALOG)
    assert values(result) == {
        ("甲镇", "2023年", "doc_count"): 30,
        ("甲镇", "2024年", "doc_count"): 20,
        ("乙镇", "2024年", "doc_count"): 5,
        ("丙镇", "2024年", "doc_count"): 6,
    }


def test_a_note_row_merged_across_the_table_is_not_a_value():
    def merge(wb):
        wb["数据"].merge_cells("A4:D4")

    rows = [
        ["单位", "时期", "发文数量", "会议数量"],
        ["甲镇", "2024年", 30, 12],
        ["乙镇", "2024年", 20, 8],
        ["注：数据截至2024年12月31日"],
    ]
    result = import_file(xlsx(("数据", rows), build=merge), "表.xlsx", CATALOG)
    assert set(result.units) == {"甲镇", "乙镇"} and len(result.observations) == 4


# ---- item 7: a date cell is read as it is shown -----------------------------------------


def dated(fmt, value):
    def build(wb):
        cell = wb["数据"]["B2"]
        cell.value = value
        cell.number_format = fmt

    return build


@pytest.mark.parametrize(
    "fmt, value, period",
    [
        ('yyyy"年"', datetime(2023, 1, 1), "2023年"),
        ('yyyy"年"', datetime(2024, 12, 31), "2024年"),
        ("yyyy年", datetime(2024, 6, 30), "2024年"),
        ('yyyy"年"m"月"', datetime(2024, 1, 1), "2024年1月"),
        ("[$-804]yyyy年m月", datetime(2024, 11, 1), "2024年11月"),
        ("yyyy-mm", datetime(2024, 3, 1), "2024年3月"),
    ],
)
def test_a_date_cell_shown_as_a_year_or_month_is_that_period(fmt, value, period):
    rows = [["单位", "时期", "发文数量"], ["甲镇", None, 30]]
    result = import_file(xlsx(("数据", rows), build=dated(fmt, value)), "表.xlsx", CATALOG)
    assert result.periods == [period]


@pytest.mark.parametrize(
    "fmt, value, message",
    [
        (
            "yyyy/m/d",
            datetime(2024, 12, 31),
            "时期是日期格子，显示为“2024/12/31”，不是年份或月份；请写成“2024年”“2024年上半年”"
            "这样的时期名称",
        ),
        (
            "yyyy-mm-dd",
            2024,  # typed into a date-formatted cell: Excel shows 1905-07-16
            "这一格是日期格式，填入的2024被显示成了“1905-07-16”；请把这一格设为“常规”或“文本”"
            "格式，再填写“2024年”",
        ),
        (
            'yyyy"年"',
            2024,  # shown as 1905年
            "这一格是日期格式，填入的2024被显示成了“1905年”；请把这一格设为“常规”或“文本”"
            "格式，再填写“2024年”",
        ),
    ],
)
def test_a_date_that_is_not_a_period_is_refused(fmt, value, message):
    rows = [["单位", "时期", "发文数量"], ["甲镇", None, 30]]
    assert problems(xlsx(("数据", rows), build=dated(fmt, value))) == [
        f"文件“表.xlsx”工作表“数据”第2行“时期”列：{message}"
    ]


def test_a_number_that_is_not_a_year_is_not_a_period():
    rows = [["单位", "时期", "发文数量"], ["甲镇", 45292, 30], ["乙镇", 2024, 20]]
    assert problems(xlsx(("数据", rows))) == [
        "文件“表.xlsx”工作表“数据”第2行“时期”列：时期应写成“2024年”“2024年上半年”这样的名称，"
        "而不是数字“45292”"
    ]


def test_the_dry_run_lists_the_periods_it_would_create(tmp_path, data_dir, capsys):
    from jianfu.cli import main

    rows = [["单位", "时期", "发文数量"], ["甲镇", None, 30], ["甲镇", "2025年", 20]]
    path = tmp_path / "表.xlsx"
    path.write_bytes(xlsx(("数据", rows), build=dated('yyyy"年"m"月"', datetime(2024, 1, 1))))
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "将新建单位（1个）：甲镇" in out
    assert "将新建时期（2个）：2024年1月、2025年" in out


def test_the_page_marks_hidden_sheets_and_reads_one_only_when_picked(demo_store):
    pytest.importorskip("ipywidgets")
    from jianfu_widgets.entry import EntryApp

    panel = EntryApp(demo_store).imports
    panel.load(xlsx(("封面", [["标题"]]), OLD, build=hide("hidden")), "表.xlsx")
    assert panel.pending is None and "隐藏的工作表“旧数据”" in panel.problems[0]
    assert panel.sheet_choices == [("封面", "封面"), ("旧数据（隐藏）", "旧数据")]
    panel.choose_sheet("旧数据")
    assert panel.pending_counts == {"新增": 0, "修改": 3, "不变": 0}
    assert "工作表“旧数据”在Excel中是隐藏的，请确认要导入的是它" in panel.notes
    panel.load(xlsx(VISIBLE, OLD, build=hide("veryHidden")), "表.xlsx")
    assert panel.sheet_choices == [("数据", "数据"), ("旧数据（隐藏）", "旧数据")]
    assert panel.pending.set_index("indicator")["new_value"].to_dict() == {"doc_count": 77}
