"""台账类型 data files and register rows: validation, repeats, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.registers import RegisterError, load_kinds
from jianfu.registers.kinds import parse_kind
from jianfu.registers.store import RegisterStore

DOC = {"日期": "2026-03-05", "文号": "甲发〔2026〕1号", "标题": "关于春耕生产的通知",
       "文种": "正式文件", "字数": 3200}  # fmt: skip


@pytest.fixture
def registers(tmp_path):
    regs = RegisterStore(f"sqlite:///{tmp_path / 'reg.sqlite'}")
    yield regs
    regs.engine.dispose()


def test_shipped_kinds_load():
    kinds = load_kinds()
    assert list(kinds) == ["发文", "会议", "督检考"]
    assert kinds["会议"].field("speech_minutes").type == "number"


def _kind(**change):
    data = {
        "code": "documents",
        "name": "发文",
        "fields": [
            {"code": "date", "label": "日期", "type": "date"},
            {"code": "title", "label": "标题", "type": "text"},
        ],
    }
    data.update(change)
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({}, "缺少程序计算指标所需的字段“doc_no”（文本）"),
        ({"code": "other", "fields": [{"code": "title", "label": "标题", "type": "text"}]},
         "缺少日期字段“date”"),
        ({"code": "other", "fields": [{"code": "date", "label": "日期", "type": "choice"}]},
         "类型为“选项”时要列出可选值"),
        ({"code": "other", "fields": [{"code": "date", "label": "日期", "type": "date"},
                                      {"code": "date", "label": "日子", "type": "date"}]},
         "“date”与第1个字段重复"),
        ({"code": "other", "fields": [{"code": "date", "label": "日期", "type": "datum"}]},
         "类型"),
        ({"code": "other", "duplicates": [["nope"]],
          "fields": [{"code": "date", "label": "日期", "type": "date"}]},
         "字段“nope”不存在"),
    ],
)  # fmt: skip
def test_a_broken_kind_names_file_entry_and_field(change, message):
    with pytest.raises(RegisterError) as err:
        parse_kind(_kind(**change), "my.yaml")
    assert "台账类型“my.yaml”" in str(err.value)
    assert message in str(err.value)


def test_a_user_can_add_a_field(tmp_path):
    folder = tmp_path / "kinds"
    folder.mkdir()
    text = (load_kinds.__globals__["KINDS_DIR"] / "inspections.yaml").read_text(encoding="utf-8")
    added = "  - {code: team_size, label: 检查组人数, type: int}\nduplicates:"
    text = text.replace("duplicates:", added)
    (folder / "inspections.yaml").write_text(text, encoding="utf-8")
    kinds = load_kinds(folder)
    assert kinds["督检考"].field("team_size").label == "检查组人数"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"日期": "2026年3月5日"}, date(2026, 3, 5)),
        ({"日期": "2026/3/5"}, date(2026, 3, 5)),
        ({"日期": "2026.03.05"}, date(2026, 3, 5)),
        ({"日期": date(2026, 3, 5)}, date(2026, 3, 5)),
    ],
)
def test_dates_as_typed(registers, raw, expected):
    added = registers.add("发文", "甲镇", {**DOC, **raw})
    assert registers.row(added.ids[0]).day == expected


def test_bad_row_lists_every_problem_and_saves_nothing(registers):
    raw = {"日期": "2026-13-05", "标题": "x", "文种": "便条", "字数": "abc", "颜色": "红"}
    with pytest.raises(RegisterError) as err:
        registers.add("发文", "甲镇", raw)
    text = str(err.value)
    assert "“日期”：“2026-13-05”不是日期" in text
    assert "“文种”：“便条”不是可选值，可选：正式文件" in text
    assert "“字数”：应为不小于0的数，现为“abc”" in text
    assert "“颜色”不是发文台账的字段" in text
    assert "不能为空" not in text  # a bad date is not also reported as missing
    assert registers.rows() == []


@pytest.mark.parametrize(
    ("again", "said"),
    [
        ({"标题": "另一个标题", "日期": "2026-04-01"}, "文号“甲发〔2026〕1号”"),
        ({"文号": "", "文种": "便笺"}, "日期“2026-03-05”，标题“关于春耕生产的通知”"),
        ({"文号": "甲发〔2026〕9号"}, "日期“2026-03-05”，标题“关于春耕生产的通知”"),  # 文号 differs
    ],
)
def test_repeats_are_refused_unless_confirmed(registers, again, said):
    first = registers.add("发文", "甲镇", DOC).ids[0]
    with pytest.raises(RegisterError) as err:
        registers.add("发文", "甲镇", {**DOC, **again})
    assert f"这条记录与已登记的第{first}号重复（{said}）" in str(err.value)
    assert len(registers.rows()) == 1
    registers.add("发文", "甲镇", {**DOC, **again}, allow_repeat=True)
    assert len(registers.rows()) == 2
    assert registers.add("发文", "乙镇", DOC).ids  # another unit's register is its own


def test_edit_checks_like_add_and_keeps_its_own_values(registers):
    a = registers.add("发文", "甲镇", DOC).ids[0]
    b = registers.add("发文", "甲镇", {**DOC, "文号": "甲发〔2026〕2号", "标题": "二"}).ids[0]
    row = registers.update(a, {**DOC, "字数": 2800})
    assert row.values["chars"] == 2800
    with pytest.raises(RegisterError, match=f"第{b}号与已登记的第{a}号重复"):
        registers.update(b, DOC)
    with pytest.raises(RegisterError, match="“字数”：应为整数"):
        registers.update(a, {**DOC, "字数": "12.5"})
    registers.delete(b)
    assert [r.id for r in registers.rows()] == [a]


def test_rows_by_period_include_both_ends(registers):
    for day in ("2025-12-31", "2026-01-01", "2026-12-31", "2027-01-01"):
        registers.add("发文", "甲镇", {**DOC, "日期": day, "文号": day})
    got = registers.rows(unit="甲镇", start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert [r.day.isoformat() for r in got] == ["2026-01-01", "2026-12-31"]


def test_a_newer_register_database_is_refused(registers):
    from jianfu.db import writing
    from jianfu.registers.schema import meta

    with writing(registers.engine) as conn:
        conn.execute(meta.update().values(value="99"))
    with pytest.raises(RegisterError, match="台账数据的版本（99）比本程序（1）新"):
        RegisterStore(registers.url)
