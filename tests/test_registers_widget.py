"""The 台账 page: add a row and see its warning, confirm a repeat, import, derive and write."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.registers.store import RegisterStore
from jianfu_widgets.registers import RegisterPage
from tests.support.sheetfiles import csv_rows

TODAY = date.today().isoformat()


@pytest.fixture
def page(store):
    regs = RegisterStore(store.url, engine=store.engine)
    return RegisterPage(store, regs)


def _meeting(page, **extra):
    page.choose(kind="会议", unit="甲镇")
    page.fill(日期=TODAY, 会议名称="全镇<b>工作</b>会", 会议类型="专题会", 形式="现场", **extra)
    page.click("add")


def test_add_a_row_and_see_its_warning(page):
    _meeting(page, 主讲话时长="75")
    assert page.status_text.startswith("已登记（台账第1号）。预警：台账第1号")
    assert "主讲话75分钟，超过主要负责同志讲话一般不超过1小时" in page.status_text
    assert "主讲话超时" in page.output("warnings")
    assert "全镇&lt;b&gt;工作&lt;/b&gt;会" in page.output("rows")  # escaped
    assert "<b>工作</b>" not in page.output("rows")


def test_a_bad_field_is_named_and_nothing_is_registered(page):
    _meeting(page, 主讲话时长="很久")
    assert page.status_text == "“主讲话时长”：应为不小于0的数，现为“很久”"
    assert "尚未登记" in page.output("rows")


def test_a_repeat_is_registered_only_when_confirmed(page):
    _meeting(page)
    _meeting(page)
    assert "这条记录与已登记的第1号重复" in page.question
    page.answer("仍然登记")
    assert page.status_text.startswith("已登记（台账第2号）")


def test_import_then_derive_and_write_asks_before_replacing_a_typed_value(page, store):
    import pandas as pd

    data = csv_rows(
        [["日期", "会议名称", "会议类型", "形式"], ["2026-03-02", "部署会", "部署会", "视频"]]
    )
    page.choose(kind="会议", unit="甲镇", upload=({"name": "会议.csv", "content": data},))
    page.click("import_")
    assert page.status_text == "已登记1条"
    store.save_observations(
        pd.DataFrame({"unit": ["甲镇"], "period": ["2026年"], "indicator": ["meeting_count"],
                      "value": [3.0]}), source="表单录入",
    )  # fmt: skip
    page.choose(period="2026年")
    page.click("derive")
    assert "会议数量：1次（台账第1号，共1条）" in page.output("figures")
    page.click("write")
    assert "台账计算为1，已录入的值为3（来源：表单录入），未覆盖" in page.output("figures")
    assert store.values_of("甲镇", "2026年")["meeting_count"] == 3
    page.answer("用台账计算值覆盖")
    assert store.values_of("甲镇", "2026年")["meeting_count"] == 1
    assert page.status_text == "已写入数据库，来源“台账”"


def test_load_a_row_correct_it_and_save(page):
    _meeting(page, 主讲话时长="75")
    page.choose(row_id=1)
    page.click("load")
    assert page.status_text == "已载入台账第1号，修改后点“保存修改”"
    page.fill(主讲话时长="40")
    page.click("save")
    assert page.status_text == "已保存台账第1号的修改。"
    assert "没有预警" in page.output("warnings")
    page.choose(row_id=9)
    page.click("load")
    assert page.status_text == "没有第9号台账记录"


def test_import_lists_repeats_and_registers_them_only_when_asked(page, store):
    registers = RegisterStore(store.url, engine=store.engine)
    _meeting(page)  # 全镇<b>工作</b>会 today
    data = csv_rows([
        ["日期", "会议名称", "会议类型", "形式"],
        [TODAY, "全镇<b>工作</b>会", "部署会", "视频"],
        ["2026-03-02", "部署会", "部署会", "视频"],
    ])  # fmt: skip
    page.choose(upload=({"name": "会议.csv", "content": data},))
    page.click("import_")
    assert page.status_text == "已登记1条，1条与已登记的重复，未再登记"
    said = page.output("repeats")
    assert "以下1条与已登记的记录重复，未登记" in said
    assert (
        f"第2行与已登记的第1号重复（日期“{TODAY}”，会议名称“全镇&lt;b&gt;工作&lt;/b&gt;会”）"
        in said
    )
    page.click("keep_repeats")
    assert page.status_text == "已仍然登记1条（台账第3号）"
    assert page.output("repeats") == ""
    assert len(registers.rows()) == 3
    page.click("keep_repeats")  # nothing left to register: no second copy
    assert len(registers.rows()) == 3
