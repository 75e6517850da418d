"""Runaway sheets (issue 16, item 11): one stray cell far to the right, a footer merged
across the whole row, tens of thousands of rows. Each is refused once or imported, fast
and in little memory, measured in a child process (its peak RSS is its own; CPU time,
not wall time, since the machine running the tests is shared)."""

from __future__ import annotations

import pytest

from jianfu.dataio import sheets
from jianfu.dataio.importer import import_file
from tests.support.runaway import measure
from tests.support.sheetfiles import CATALOG, problems, xlsx

LIMIT_SECONDS, LIMIT_MB = 5.0, 300


def run(rows: int, stray: str = "", footer: bool = False) -> dict:
    return measure(rows, stray, footer)


@pytest.mark.slow
def test_one_stray_cell_in_column_xfd_is_refused_once_fast_and_small():
    found = run(3000, stray="XFD1500")
    assert found["outcome"] == [
        "refused",
        [
            "文件“a.xlsx”工作表“数据”第1行：XFD列有数据但没有列标题（如第1500行XFD列的“x”），"
            "请删除这些格子或给它们所在的列填写指标名称"
        ],
    ]
    assert found["cpu"] < LIMIT_SECONDS and found["mb"] < LIMIT_MB, found


@pytest.mark.slow
def test_a_footer_merged_across_the_whole_row_is_not_16380_errors():
    found = run(3000, footer=True)
    assert found["outcome"] == ["imported", 6000]
    assert found["cpu"] < LIMIT_SECONDS and found["mb"] < LIMIT_MB, found


@pytest.mark.slow
def test_thirty_thousand_rows_and_one_far_cell_cost_what_the_clean_file_costs():
    clean = run(30_000)
    stray = run(30_000, stray="XFD15000")
    assert clean["outcome"] == ["imported", 60_000]
    assert stray["outcome"][0] == "refused" and len(stray["outcome"][1]) == 1
    assert stray["mb"] < LIMIT_MB and stray["grew_mb"] < 200, stray
    assert stray["cpu"] < 1.5 * clean["cpu"] + 0.5, (clean, stray)  # CPU: the machine is shared


def test_data_far_right_is_one_range_naming_its_first_cell():
    def stray(wb):
        wb["数据"]["F3"] = "备注"
        wb["数据"]["AB2"] = 7

    rows = [["单位", "时期", "发文数量"], ["甲镇", "2024年", 30], ["乙镇", "2024年", 20]]
    assert problems(xlsx(("数据", rows), build=stray)) == [
        "文件“表.xlsx”工作表“数据”第1行：F列至AB列有数据但没有列标题（如第2行AB列的“7”），"
        "请删除这些格子或给它们所在的列填写指标名称"
    ]


def test_a_gap_inside_the_header_is_still_named_as_its_column():
    rows = [["单位", "时期", None, "发文数量"], ["甲镇", "2024年", 5, 30]]
    assert problems(xlsx(("数据", rows))) == [
        "文件“表.xlsx”工作表“数据”第1行“（C列）”列：此列有数据但没有列标题，请填写指标名称或删除此列"
    ]


def test_a_sheet_over_the_cell_cap_is_refused_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(sheets, "MAX_CELLS", 40)
    rows = [["单位", "时期", "发文数量", "会议数量"]] + [
        ["甲镇", f"{2000 + n}年", n, n] for n in range(20)
    ]
    assert problems(xlsx(("数据", rows))) == [
        "文件“表.xlsx”：工作表的格子超过0万个（到第11行），请删除多余的行和列（包括只设了格式的空格子），"
        "或拆分成几个文件分别导入"
    ]


def test_formatted_but_empty_cells_far_right_are_not_data():
    def formats(wb):
        for row in range(1, 4):
            wb["数据"].cell(row, 16384).number_format = "0.00"  # styled, no value

    rows = [["单位", "时期", "发文数量"], ["甲镇", "2024年", 30], ["乙镇", "2024年", 20]]
    result = import_file(xlsx(("数据", rows), build=formats), "表.xlsx", CATALOG)
    assert len(result.observations) == 2
