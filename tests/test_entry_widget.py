"""The 录入 app driven from Python, as a user would click it, asserting on the store."""

import base64
import re

import pytest

pytest.importorskip("ipywidgets")

from widgets.entry import EntryApp  # noqa: E402


@pytest.fixture
def app(demo_store):
    entry = EntryApp(demo_store)
    entry._unit.value = "示例县城关镇"
    entry._period.value = "2024年"
    return entry


def stored(store, unit, period, code):
    obs = store.observations([unit], [period])
    match = obs[obs.indicator == code]["value"].tolist()
    return match[0] if match else None


def test_opens_on_the_first_unit_and_its_latest_period(demo_store):
    entry = EntryApp(demo_store)
    assert (entry._unit.value, entry._period.value) == ("示例县", "2024年")
    assert entry._form.fields["doc_count"].value == "98"


def test_opens_on_an_empty_database(store):
    entry = EntryApp(store)
    assert entry._unit.value is None and entry._form.fields["doc_count"].value == ""
    entry._save.click()
    assert "请选择或新增单位；请选择或新增时期，未保存" in entry._status.value


def test_form_shows_stored_values_for_unit_and_period(app):
    assert app._form.field("doc_count").value == "31"
    app._period.value = "2023年"
    assert app._form.field("doc_count").value == "46"


def test_save_a_value(app, demo_store):
    app._form.field("doc_count")._text.value = "29"
    app._save.click()
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 29
    assert "已保存" in app._status.value and "修改1项" in app._status.value


def test_bad_values_are_marked_and_nothing_is_saved(app, demo_store):
    before = demo_store.observations()
    app._form.field("doc_count")._text.value = "二十九"
    app._form.field("work_groups")._text.value = "-2"
    assert "应为数字" in app._form.field("doc_count")._message.value  # on leaving the field
    app._save.click()
    assert "有2处需要修改" in app._status.value
    assert "不能为负数" in app._form.field("work_groups")._message.value
    assert demo_store.observations()["value"].tolist() == before["value"].tolist()


def test_clearing_a_field_removes_the_value(app, demo_store):
    app._form.field("work_groups")._text.value = ""
    app._save.click()
    assert stored(demo_store, "示例县城关镇", "2024年", "work_groups") is None
    assert "清除1项" in app._status.value


def test_add_unit_and_period_then_save(app, demo_store):
    app._new_unit.value = "新建镇"
    app._new_level.value = "乡镇"
    app._new_parent.value = "示例县"
    app._add_unit.click()
    app._new_period.value = "2025年"
    app._add_period.click()
    assert (app._unit.value, app._period.value) == ("新建镇", "2025年")
    assert app._form.field("doc_count").value == ""
    app._form.field("doc_count")._text.value = "12"
    app._save.click()
    assert stored(demo_store, "新建镇", "2025年", "doc_count") == 12
    assert demo_store.units().set_index("name").loc["新建镇", "parent"] == "示例县"


def test_empty_unit_name_gives_a_message(app):
    app._new_unit.value = "  "
    app._add_unit.click()
    assert "单位名称不能为空" in app._status.value


def test_saved_tab_shows_periods_side_by_side(app):
    app._unit.value = "公安分局"
    html = app._saved.value
    assert "改革前" in html and "改革后" in html and "92.6" in html


def test_html_in_names_is_escaped(app, demo_store):
    app._new_unit.value = "<script>alert(1)</script>"
    app._add_unit.click()
    app._form.field("doc_count")._text.value = "1"
    app._save.click()
    assert "<script>" not in app._status.value and "&lt;script&gt;" in app._status.value
    assert "<script>" not in app._saved.value


GBK_CSV = "单位,时期,指标,数值,备注\n示例县城关镇,2024年,发文数量,28,核实后\n新镇,2024年,工作群数量,5,\n".encode(
    "gbk"
)


def test_import_preview_then_confirm(app, demo_store):
    app._imports.load(GBK_CSV, "数据.csv")
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 31  # nothing yet
    assert "修改1项" in app._imports._status.value and "新增1项" in app._imports._status.value
    assert "新镇" in app._imports._preview.value
    assert not app._imports._confirm.disabled
    app._imports._confirm.click()
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 28
    assert stored(demo_store, "新镇", "2024年", "work_groups") == 5
    assert "新镇" in app._unit.options
    assert app._form.field("doc_count").value == "28"


def test_import_with_errors_lists_them_and_saves_nothing(app, demo_store):
    before = len(demo_store.observations())
    bad = "单位,时期,指标,数值\n甲镇,2024年,发文数量,abc\n甲镇,2024年,不存在的指标,3\n".encode()
    app._imports.load(bad, "bad.csv")
    assert "2处问题" in app._imports._status.value
    assert "第2行" in app._imports._preview.value and "第3行" in app._imports._preview.value
    assert app._imports._confirm.disabled
    assert len(demo_store.observations()) == before


def test_cancel_import(app, demo_store):
    app._imports.load(GBK_CSV, "数据.csv")
    app._imports._cancel.click()
    assert app._imports._confirm.disabled
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 31


def _download_bytes(panel):
    link = panel._downloads.children[0].value
    payload = re.search(r'href="data:[^;]+;base64,([^"]+)"', link).group(1)
    return base64.b64decode(payload)


def test_template_and_export_downloads(app):
    app._imports._template_button.click()
    assert _download_bytes(app._imports)[:2] == b"PK"  # an xlsx (zip) file
    app._imports._export_csv.click()
    data = _download_bytes(app._imports)
    assert data.startswith(b"\xef\xbb\xbf") and "区委组织部".encode() in data


def test_custom_indicator_appears_in_the_form(app, demo_store):
    app._custom._name.value = "村级挂牌数"
    app._custom._measure.value = "块"
    app._custom._add.click()
    assert "已添加指标“村级挂牌数”" in app._custom._status.value
    field = next(f for f in app._form.fields.values() if f.indicator.name == "村级挂牌数")
    field._text.value = "7"
    app._save.click()
    assert stored(demo_store, "示例县城关镇", "2024年", field.indicator.code) == 7


def test_period_order_can_be_changed(app, demo_store):
    assert app._period_order.value.startswith("2019年、2020年")
    app._period_order.value = "改革后，改革前"
    app._save_order.click()
    assert demo_store.periods()[:2] == ["改革后", "改革前"]
    assert list(app._period.options)[:2] == ["改革后", "改革前"]
    app._period_order.value = "没有的时期"
    app._save_order.click()
    assert "时期“没有的时期”不存在" in app._status.value
