"""The 填报任务 page without a browser: set values, click, read the public results."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.collect.outgoing import round_templates
from jianfu.collect.rounds import Collect
from jianfu.collect.templates import file_name
from jianfu_widgets.collect import CollectApp
from tests.support.collect import CODES, filled, seed_units


@pytest.fixture
def app(store):
    seed_units(store)
    return CollectApp(store, today=date(2025, 4, 1))


def upload(name, data, when=None):
    return {"name": name, "content": memoryview(data), "size": len(data), "type": "",
            "last_modified": when}  # fmt: skip


def make_round(app, store):
    form = app.new_form
    form.name.value, form.period.value = "一季度", "2025年"
    form.source.value = "示例县的下级单位"
    form.indicators.value = tuple(CODES)
    form.save_group.value = "七减监测指标"
    form.due.value = date(2025, 3, 31)
    form.create.click()
    assert form.status.kind == "success", form.status.text
    return Collect(store).round("一季度")


def test_new_round_from_the_form_shows_an_empty_board(app, store):
    rnd = make_round(app, store)
    assert app.round.value == "一季度" and rnd.unit_names() == ["甲镇", "乙镇", "丙镇", "丁镇"]
    assert Collect(store).groups() == {"七减监测指标": CODES}
    assert "共4个单位，截止2025-03-31：已报0个，部分0个，未报0个，逾期4个" in app.totals.value


def test_upload_many_files_check_then_confirm_updates_the_board(app, store):
    rnd = make_round(app, store)
    files = round_templates(Collect(store), rnd)
    app.upload.value = (
        upload("a.xlsx", filled(files[file_name(rnd, "甲镇")], [1, 2, 3])),
        upload("b.xlsx", filled(files[file_name(rnd, "乙镇")], [1, "x", 3])),
    )
    assert "已导入1个，已拒收1个" in app.status.text
    assert store.values_of("甲镇", "2025年") == {}  # nothing before confirm
    app.confirm.click()
    assert app.report.table()["结果"].tolist() == ["已导入", "已拒收"]
    assert app.progress.value == 1 and app.progress.max == 4
    assert "已报1个" in app.totals.value
    assert "已报齐的单位：甲镇。" in app.totals.value and "只对比这些单位" in app.totals.value
    app.filter.value = "已报"
    assert "甲镇" in app.board_html.value and "乙镇" not in app.board_html.value


def test_remind_fills_the_text_and_offers_a_docx(app, store):
    make_round(app, store)
    app.remind.click()
    assert "尚有4个单位未报齐" in app.remind_text.value
    assert ".docx" in app.downloads[0].value


def test_bad_round_says_why_in_chinese(app, store):
    app.new_form.name.value = "无单位"
    app.new_form.period.value = "2025年"
    app.new_form.create.click()
    assert app.new_form.status.text == "操作未完成：请至少选择一个填报单位"
    assert Collect(store).round_names() == []


def test_two_files_for_one_unit_wait_for_a_choice_then_only_the_chosen_is_saved(app, store):
    rnd = make_round(app, store)
    ding = round_templates(Collect(store), rnd)[file_name(rnd, "丁镇")]
    app.upload.value = (
        upload("丁镇1.xlsx", filled(ding, [12, 3, 4])),
        upload("丁镇2.xlsx", filled(ding, [15, 3, 4])),
    )
    assert "待选择2个" in app.status.text and "“丁镇”交来几份表格" in app.status.text
    assert app.confirm.disabled  # nothing to import until a file is chosen
    buttons = app.choices.buttons["丁镇"]
    assert buttons.options == ("丁镇1.xlsx", "丁镇2.xlsx") and buttons.value is None
    said = app.choices.children[0].value
    assert "发文数量：丁镇1.xlsx 12，丁镇2.xlsx 15" in said
    buttons.value = "丁镇2.xlsx"
    assert "已导入1个，重复1个" in app.status.text and not app.confirm.disabled
    app.confirm.click()
    assert store.values_of("丁镇", "2025年") == dict(zip(CODES, [15, 3, 4], strict=True))
    assert app.choices.children == ()
    app.filter.value = "已报"
    assert "丁镇" in app.board_html.value and "丁镇2.xlsx" in app.board_html.value
