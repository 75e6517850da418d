"""Importing registers exported from other systems, and the `jianfu register` commands."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from jianfu.cli import main
from jianfu.registers import RegisterError
from jianfu.registers.importing import import_register
from jianfu.registers.store import RegisterStore
from tests.support.sheetfiles import csv_rows, xlsx

U = "甲镇"
TITLE = ["甲镇2026年发文登记簿", None, None, None, None, None]
FILLER = ["填报单位：甲镇党政办", None, None, None, None, None]
GROUP = [None, "文件信息", None, None, "篇幅", None]
HEADER = ["序号", "发文日期", "发文字号", "文件标题", "文件类型", "字数"]


@pytest.fixture
def registers(tmp_path):
    regs = RegisterStore(f"sqlite:///{tmp_path / 'test.sqlite'}")
    yield regs
    regs.engine.dispose()


def _rows():
    return [
        [1, "2026年1月5日", "甲发〔2026〕1号", "关于春耕的通知", "正式文件", "3,200"],
        [2, datetime(2026, 2, 1), "", "工作提示", "工作提示", None],
        [None, None, None, None, None, None],  # blank row: left out
        [3, "2026/3/1", "甲发〔2026〕2号", "防汛方案", "专项工作文件", 3900],
    ]


def test_title_rows_two_level_header_and_dates_as_text(registers):
    data = xlsx(("发文", [TITLE, FILLER, GROUP, HEADER, *_rows()]))
    done = import_register(registers, data, "发文.xlsx", "发文", U)
    assert done.summary() == "已登记3条；未导入的列：序号"
    rows = registers.rows(unit=U)
    assert [r.day.isoformat() for r in rows] == ["2026-01-05", "2026-02-01", "2026-03-01"]
    assert rows[0].values["chars"] == 3200 and rows[1].values["doc_no"] is None
    assert rows[0].source == "导入：发文.xlsx"
    again = import_register(registers, data, "发文.xlsx", "发文", U)  # the same export again
    assert again.added.ids == () and len(again.added.repeats) == 3
    assert "文件“发文.xlsx”工作表“发文”第5行与已登记的第1号重复" in again.added.repeats[0]


def test_a_bad_cell_names_file_sheet_row_and_column_and_imports_nothing(registers):
    rows = _rows()
    rows[3][5] = "很多"
    rows[1][4] = "便条"
    data = xlsx(("发文", [TITLE, HEADER, *rows]))
    with pytest.raises(RegisterError) as err:
        import_register(registers, data, "发文.xlsx", "发文", U)
    assert str(err.value).splitlines() == [
        "文件“发文.xlsx”工作表“发文”第4行：“文件类型”：“便条”不是可选值，可选："
        "正式文件、专项工作文件、通知、便笺、工作提示、白头文件、其他",
        "文件“发文.xlsx”工作表“发文”第6行：“字数”：应为不小于0的数，现为“很多”",
    ]
    assert registers.rows() == []


def test_a_missing_column_is_named(registers):
    data = csv_rows([["发文日期", "文号", "字数"], ["2026-01-05", "甲发1号", 100]])
    with pytest.raises(RegisterError, match="文件“发文.csv”第1行（表头）缺少列：标题、文种"):
        import_register(registers, data, "发文.csv", "发文", U)


def test_cli_import_derive_write_and_warnings(data_dir, tmp_path, capsys):
    meetings = tmp_path / "会议.csv"
    meetings.write_bytes(
        csv_rows([
            ["会议日期", "会议名称", "会议类型", "形式", "时长（分钟）", "主讲话时长", "参会层级"],
            ["2026-03-02", "春耕部署会", "部署会", "现场", 90, 75, "乡镇"],
            ["2026-03-05", "防火部署会", "部署会", "视频", 40, 20, "乡镇"],
        ], encoding="gb18030")
    )  # fmt: skip
    assert main(["register", "import", str(meetings), "--kind", "会议", "--unit", U]) == 0
    assert "已登记2条" in capsys.readouterr().out
    assert main(["register", "derive", "--unit", U, "--period", "2026年"]) == 0
    out = capsys.readouterr().out
    assert "会议数量：2次（台账第1、2号，共2条）" in out
    assert "主讲话时长（最长一次）：75分钟（台账第1号，共1条）" in out
    assert "主讲话时长（平均，仅供参考，不写入）：47.5分钟" in out
    assert "（未写入；加 --write 写入数据库）" in out
    assert main(["register", "derive", "--unit", U, "--period", "2026年", "--write"]) == 0
    assert "会议数量：2（新增）" in capsys.readouterr().out
    args = ["register", "warnings", "--unit", U, "--as-of", "2026-03-31", "--json"]
    assert main(args) == 0
    found = json.loads(capsys.readouterr().out)
    assert [w["kind"] for w in found] == ["long_speech", "merge"]
    assert found[1]["rows"] == [1, 2]
    assert main(["register", "derive", "--unit", U, "--period", "改革后"]) == 2
    assert "错误：时期“改革后”不是日历时期" in capsys.readouterr().err


# ---- repeats registered anyway, after the user has seen them -------------------------------

REPEATS = [
    ["发文日期", "发文字号", "文件标题", "文件类型"],
    ["2026-01-05", "甲发〔2026〕1号", "关于春耕的通知", "正式文件"],  # 文号 typed in before
    ["2026-02-01", "", "工作提示", "工作提示"],
    ["2026-02-01", "", "工作提示", "便笺"],  # same date and title as the row above
    ["2026-03-01", "甲发〔2026〕2号", "防汛方案", "专项工作文件"],
]


def _typed_first(registers):
    raw = {"日期": "2026-01-04", "文号": "甲发〔2026〕1号", "标题": "春耕通知", "文种": "正式文件"}
    registers.add("发文", U, raw)


def _sorted_rows(registers):
    return sorted(
        (r.day.isoformat(), r.values["title"], r.values["kind"]) for r in registers.rows()
    )


def test_repeats_are_left_out_then_registered_when_asked(registers):
    from jianfu.registers.importing import register_repeats

    _typed_first(registers)
    done = import_register(registers, csv_rows(REPEATS), "发文.csv", "发文", U)
    assert done.summary() == "已登记2条，2条与已登记的重复，未再登记"
    assert done.added.repeats == (
        "文件“发文.csv”第2行与已登记的第1号重复（文号“甲发〔2026〕1号”）",
        "文件“发文.csv”第4行与文件“发文.csv”第3行重复（日期“2026-02-01”，标题“工作提示”）",
    )
    again = register_repeats(registers, done)
    assert len(again.ids) == 2 and again.kept
    assert _sorted_rows(registers) == sorted([
        ("2026-01-04", "春耕通知", "正式文件"), ("2026-01-05", "关于春耕的通知", "正式文件"),
        ("2026-02-01", "工作提示", "工作提示"), ("2026-02-01", "工作提示", "便笺"),
        ("2026-03-01", "防汛方案", "专项工作文件"),
    ])  # fmt: skip
    assert registers.row(again.ids[0]).source == "导入：发文.csv"


def test_keep_repeats_registers_every_row_and_lists_the_repeats(registers):
    _typed_first(registers)
    done = import_register(registers, csv_rows(REPEATS), "发文.csv", "发文", U, keep_repeats=True)
    assert done.summary() == "已登记4条（其中2条与已登记的重复，按要求仍然登记）"
    assert len(done.added.repeats) == 2 and done.added.held == ()
    assert len(registers.rows()) == 5


def test_keep_repeats_after_a_plain_import_does_not_register_the_file_twice(registers):
    _typed_first(registers)
    import_register(registers, csv_rows(REPEATS), "发文.csv", "发文", U)
    done = import_register(registers, csv_rows(REPEATS), "发文.csv", "发文", U, keep_repeats=True)
    assert done.summary() == (
        "已登记2条（其中2条与已登记的重复，按要求仍然登记）；2条本文件以前已导入，未再登记"
    )
    assert len(registers.rows()) == 5
    assert [r.values["kind"] for r in registers.rows() if r.values["title"] == "工作提示"] == [
        "工作提示", "便笺",
    ]  # fmt: skip


def test_nothing_held_back_is_said(registers):
    from jianfu.registers.importing import register_repeats

    done = import_register(registers, csv_rows(REPEATS[:2]), "发文.csv", "发文", U)
    with pytest.raises(RegisterError, match="没有未登记的重复记录"):
        register_repeats(registers, done)


def test_cli_keep_repeats(data_dir, tmp_path, capsys):
    path = tmp_path / "发文.csv"
    path.write_bytes(csv_rows(REPEATS))
    args = ["register", "import", str(path), "--kind", "发文", "--unit", U]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "已登记3条，1条与已登记的重复，未再登记" in out
    assert (
        "  文件“发文.csv”第4行与文件“发文.csv”第3行重复（日期“2026-02-01”，标题“工作提示”）" in out
    )
    assert "可加 --keep-repeats 再导入一次" in out
    assert main([*args, "--keep-repeats"]) == 0
    out = capsys.readouterr().out
    assert (
        "已登记1条（其中1条与已登记的重复，按要求仍然登记）；3条本文件以前已导入，未再登记" in out
    )
    assert len(RegisterStore().rows()) == 4
