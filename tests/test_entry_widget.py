"""The 录入 app driven from Python, as a user would click it, asserting on the store and
on the app's public results (message, question, saved table), not on its HTML."""

import base64
import re

import pandas as pd
import pytest

pytest.importorskip("ipywidgets")

from jianfu_widgets.entry import EntryApp  # noqa: E402


@pytest.fixture
def app(demo_store):
    entry = EntryApp(demo_store)
    entry.choose(unit="示例县城关镇")
    entry.choose(period="2024年")
    return entry


def stored(store, unit, period, code):
    return store.values_of(unit, period).get(code)


def type_in(app, code, text):
    app.field(code).type(text)


def test_opens_on_the_first_unit_and_its_latest_period(demo_store):
    entry = EntryApp(demo_store)
    assert entry.shown == ("示例县", "2024年")
    assert entry.fields["doc_count"].value == "98"


def test_opens_on_an_empty_database(store):
    entry = EntryApp(store)
    assert entry.shown == (None, None) and entry.fields["doc_count"].value == ""
    entry.click("save")
    assert entry.message == "请选择或新增单位；请选择或新增时期，未保存。"


def test_form_shows_stored_values_for_unit_and_period(app):
    assert app.field("doc_count").value == "31"
    app.choose(period="2023年")
    assert app.field("doc_count").value == "46"


def test_save_a_value(app, demo_store):
    type_in(app, "doc_count", "29")
    app.click("save")
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 29
    assert app.message.startswith("示例县城关镇 2024年 已保存") and "修改1项" in app.message


def test_bad_values_are_marked_and_nothing_is_saved(app, demo_store):
    before = demo_store.observations()
    type_in(app, "doc_count", "二十九")
    type_in(app, "work_groups", "-2")
    assert app.field("doc_count").error == "数值应为数字，而不是“二十九”"  # on leaving
    app.click("save")
    assert app.message == "有2处需要修改（已用红框标出），未保存。"
    assert app.field("work_groups").error == "数值不能为负数（填写的是“-2”）"
    assert demo_store.observations()["value"].tolist() == before["value"].tolist()


def test_clearing_a_field_removes_the_value_in_the_same_transaction(app, demo_store):
    type_in(app, "work_groups", "")
    type_in(app, "doc_count", "30")
    app.click("save")
    assert stored(demo_store, "示例县城关镇", "2024年", "work_groups") is None
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 30
    assert "修改1项" in app.message and "清除1项" in app.message


def test_a_failed_save_clears_nothing(app, demo_store, monkeypatch):
    type_in(app, "work_groups", "")
    type_in(app, "doc_count", "30")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    import jianfu.store.observations as module

    monkeypatch.setattr(module, "delete", broken)  # fails after the values are written
    app.click("save")
    assert app.message.startswith("操作未完成")
    assert stored(demo_store, "示例县城关镇", "2024年", "work_groups") == 31  # still there
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 31  # rolled back


# ---- an unedited save changes nothing -------------------------------------------------


def test_an_unedited_save_changes_nothing(app, demo_store):
    demo_store.save_observations(
        pd.DataFrame(
            [("示例县城关镇", "2024年", "doc_avg_chars", 45.123456)],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    app.choose(period="2023年")
    app.choose(period="2024年")  # reload the form
    assert app.field("doc_avg_chars").value == "45.123456"  # not 45.1235
    before = demo_store.observations()
    app.click("save")
    assert "修改0项" in app.message and "新增0项" in app.message
    after = demo_store.observations()
    pd.testing.assert_frame_equal(before, after)


# ---- typed values are not lost silently --------------------------------------------


def test_switching_with_unsaved_edits_asks_first(app, demo_store):
    type_in(app, "doc_count", "29")
    app.choose(period="2023年")
    assert app.shown == ("示例县城关镇", "2024年")  # still on the edited form
    assert app.chosen("period") == "2024年"
    assert "有未保存的修改（发文数量）" in app.question
    assert app.offered == ["保存后切换", "放弃修改并切换", "留在这里"]
    app.answer("留在这里")
    assert app.field("doc_count").value == "29" and app.question == ""
    app.choose(period="2023年")
    app.answer("保存后切换")
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 29
    assert app.shown == ("示例县城关镇", "2023年")
    type_in(app, "doc_count", "1")
    app.choose(unit="示例县")
    app.answer("放弃修改并切换")
    assert app.shown == ("示例县", "2023年")
    assert stored(demo_store, "示例县城关镇", "2023年", "doc_count") == 46  # discarded


def test_switching_without_edits_just_switches(app):
    app.choose(period="2023年")
    assert app.shown == ("示例县城关镇", "2023年") and app.question == ""


# ---- a rate typed as a fraction ----------------------------------------------------


def test_a_rate_typed_as_a_fraction_is_asked_about(app, demo_store):
    type_in(app, "satisfaction_rate", "0.85")
    app.click("save")
    assert app.question == "“干部对减负成效满意率”填的是0.85，是指85%还是0.85%？"
    assert stored(demo_store, "示例县城关镇", "2024年", "satisfaction_rate") == 81.2  # not yet
    app.answer("是85%")
    assert stored(demo_store, "示例县城关镇", "2024年", "satisfaction_rate") == 85


def test_a_real_fraction_of_a_percent_can_be_kept(app, demo_store):
    type_in(app, "satisfaction_rate", "0.5")
    app.click("save")
    app.answer("就是0.5%")
    assert stored(demo_store, "示例县城关镇", "2024年", "satisfaction_rate") == 0.5


# ---- two tabs on the same unit and period -----------------------------------------


def test_a_save_does_not_overwrite_what_another_tab_just_saved(demo_store):
    tab_a, tab_b = EntryApp(demo_store), EntryApp(demo_store)
    for tab in (tab_a, tab_b):
        tab.choose(unit="示例县城关镇", period="2024年")
    type_in(tab_a, "doc_count", "20")
    tab_a.click("save")
    type_in(tab_b, "meeting_count", "39")  # B still shows doc_count 31
    tab_b.click("save")
    assert "已被他人修改" in tab_b.message
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 20  # A's change kept
    assert stored(demo_store, "示例县城关镇", "2024年", "meeting_count") == 40  # B's not saved
    tab_b.answer("载入最新")
    assert tab_b.field("doc_count").value == "20"


# ---- units and periods ------------------------------------------------------------


def test_add_unit_and_period_then_save(app, demo_store):
    labels = app.labels
    labels.choose(new_unit="新建镇")
    labels.choose(new_level="乡镇")
    labels.choose(new_parent="示例县")
    labels.click("add_unit")
    labels.choose(new_period="2025年")
    labels.click("add_period")
    assert app.shown == ("新建镇", "2025年")
    assert app.field("doc_count").value == ""
    type_in(app, "doc_count", "12")
    app.click("save")
    assert stored(demo_store, "新建镇", "2025年", "doc_count") == 12
    assert demo_store.units().set_index("name").loc["新建镇", "parent"] == "示例县"


def test_re_adding_a_unit_keeps_its_parent(app, demo_store):
    labels = app.labels
    labels.choose(new_unit="示例县城关镇")
    labels.choose(new_parent="")
    labels.click("add_unit")
    assert "已存在" in labels.status_text
    assert demo_store.units().set_index("name").loc["示例县城关镇", "parent"] == "示例县"


def test_empty_unit_name_gives_a_message(app):
    app.labels.choose(new_unit="  ")
    app.labels.click("add_unit")
    assert app.labels.status_text == "操作未完成：单位名称不能为空"


def test_rename_and_delete_a_mistyped_unit(app, demo_store):
    demo_store.save_observations(
        pd.DataFrame(
            [
                ("示例县城关真", "2024年", "doc_count", 3),
                ("示例县城关真", "2023年", "doc_count", 4),
            ],
            columns=["unit", "period", "indicator", "value"],
        )
    )
    app.refresh_if_stale()
    labels = app.labels
    labels.choose(unit="示例县城关真")
    labels.choose(unit_name="示例县新镇")
    labels.click("rename_unit")
    assert "示例县新镇" in demo_store.unit_names() and "示例县城关真" not in demo_store.unit_names()
    assert stored(demo_store, "示例县新镇", "2024年", "doc_count") == 3
    labels.choose(unit="示例县新镇")
    labels.click("delete_unit")
    assert labels.question == "删除单位“示例县新镇”将同时删除它的2项数据，且不能恢复。确认删除吗？"
    labels.answer("取消")
    assert "示例县新镇" in demo_store.unit_names()
    labels.click("delete_unit")
    labels.answer("确认删除")
    assert "示例县新镇" not in demo_store.unit_names()
    assert labels.status_text == "已删除单位“示例县新镇”及其2项数据"
    assert "示例县新镇" not in app.options("unit")


def test_rename_a_period(app, demo_store):
    labels = app.labels
    labels.choose(period="改革后")
    labels.choose(period_name="改革后（2024年）")
    labels.click("rename_period")
    renamed = "改革后(2024年)"  # period labels are stored NFKC-folded, as on import
    assert "改革后" not in demo_store.periods() and renamed in demo_store.periods()
    assert labels.status_text == f"已将时期“改革后”改名为“{renamed}”"
    assert demo_store.values_of("公安分局", renamed)["community_police_ledgers"] == 10


def test_period_order_can_be_changed_even_with_commas_in_labels(app, demo_store):
    labels = app.labels
    labels.choose(new_period="2025年、2026年合并")
    labels.click("add_period")
    labels.choose(order="改革后")
    labels.click("up")
    labels.click("save_order")
    order = demo_store.periods()
    assert order.index("改革后") < order.index("改革前")
    assert "2025年、2026年合并" in order
    assert list(app.options("period")) == order


def test_saved_tab_shows_periods_side_by_side(app):
    app.choose(unit="公安分局")
    table = app.saved_table()
    assert list(table.columns) == ["类别", "指标", "计量单位", "改革前", "改革后"]
    share = table.set_index("指标").loc["一线实战部门警力占比", "改革后"]
    assert round(share, 1) == 92.6
    assert "<h3>公安分局</h3>" in app.output("saved")  # the unit is named above its table


def test_html_in_names_is_escaped(app, demo_store):
    app.labels.choose(new_unit="<script>alert(1)</script>")
    app.labels.click("add_unit")
    type_in(app, "doc_count", "1")
    app.click("save")
    assert "<script>" not in app.status_html and "&lt;script&gt;" in app.status_html
    assert "<script>" not in app.output("saved")


# ---- import ---------------------------------------------------------------------------

GBK_CSV = "单位,时期,指标,数值,备注\n示例县城关镇,2024年,发文数量,28,核实后\n新镇,2024年,工作群数量,5,\n".encode(
    "gbk"
)


def test_import_preview_then_confirm(app, demo_store):
    app.imports.load(GBK_CSV, "数据.csv")
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 31  # nothing yet
    assert app.imports.pending_counts == {"新增": 1, "修改": 1, "不变": 0}
    app.imports.click("confirm")
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 28
    assert stored(demo_store, "新镇", "2024年", "work_groups") == 5
    assert "新增1项，修改1项，未变0项" in app.imports.message
    assert "新镇" in app.options("unit")
    assert app.field("doc_count").value == "28"


def test_preview_counts_equal_what_the_save_reports(app, demo_store):
    # a file that only changes a note: the preview and the save both say 修改1项
    note_only = "单位,时期,指标,数值,备注\n示例县城关镇,2024年,发文数量,31,口径已核实\n".encode()
    app.imports.load(note_only, "备注.csv")
    assert app.imports.pending_counts == {"新增": 0, "修改": 1, "不变": 0}
    app.imports.click("confirm")
    assert "新增0项，修改1项，未变0项" in app.imports.message
    notes = demo_store.observations(["示例县城关镇"], ["2024年"]).set_index("indicator")["note"]
    assert notes["doc_count"] == "口径已核实"


def test_an_import_confirmed_after_another_save_does_not_overwrite_it(app, demo_store):
    app.imports.load(GBK_CSV, "数据.csv")  # previewed: doc_count 31 -> 28
    demo_store.save_observations(
        pd.DataFrame(
            [("示例县城关镇", "2024年", "doc_count", 30)],
            columns=["unit", "period", "indicator", "value"],
        )
    )  # someone else saved in between
    app.imports.click("confirm")
    assert "已被他人修改" in app.imports.message
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 30
    assert stored(demo_store, "新镇", "2024年", "work_groups") is None  # nothing half-written
    app.imports.answer("重新预览")
    assert app.imports.pending_counts == {"新增": 1, "修改": 1, "不变": 0}
    app.imports.click("confirm")
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 28


def test_import_with_errors_lists_them_and_saves_nothing(app, demo_store):
    before = len(demo_store.observations())
    bad = "单位,时期,指标,数值\n甲镇,2024年,发文数量,abc\n甲镇,2024年,不存在的指标,3\n".encode()
    app.imports.load(bad, "bad.csv")
    assert app.imports.message == "文件“bad.csv”有2处问题，未导入任何数据。"
    assert [p.split("：")[0] for p in app.imports.problems] == [
        "文件“bad.csv”第2行“数值”列",
        "文件“bad.csv”第3行“指标”列",
    ]
    assert not app.imports.can_confirm
    assert len(demo_store.observations()) == before


def test_cancel_import(app, demo_store):
    app.imports.load(GBK_CSV, "数据.csv")
    app.imports.click("cancel")
    assert app.imports.pending is None
    assert stored(demo_store, "示例县城关镇", "2024年", "doc_count") == 31


def _download_bytes(panel):
    link = panel.downloads[0].value
    payload = re.search(r'href="data:[^;]+;base64,([^"]+)"', link).group(1)
    return base64.b64decode(payload)


def test_template_and_export_downloads(app):
    app.imports.click("template_button")
    assert _download_bytes(app.imports)[:2] == b"PK"  # an xlsx (zip) file
    app.imports.click("export_csv")
    data = _download_bytes(app.imports)
    assert data.startswith(b"\xef\xbb\xbf") and "区委组织部".encode() in data


def test_custom_indicator_appears_in_the_form(app, demo_store):
    app.open_tab(4)
    app.custom.choose(name="村级挂牌数")
    app.custom.choose(measure="块")
    app.custom.click("add")
    assert app.custom.message == "请选择方向（越少越好、越多越好或中性），未添加。"
    app.custom.choose(direction="越少越好")
    app.custom.click("add")
    assert app.tab == 4  # still where the user is, with the message in view
    assert app.custom.status_text == "已添加指标“村级挂牌数”"
    field = next(f for f in app.fields.values() if f.indicator.name == "村级挂牌数")
    field.type("7")
    app.click("save")
    assert stored(demo_store, "示例县城关镇", "2024年", field.indicator.code) == 7


def test_a_custom_percent_is_never_added_up(app, demo_store):
    custom = app.custom
    custom.choose(kind="percent")
    assert [v for _, v in custom.options("aggregate")] == ["none"]
    custom.choose(name="群众满意率")
    custom.choose(measure="%")
    custom.choose(direction="越多越好")
    custom.click("add")
    [ind] = [i for i in demo_store.catalog() if i.name == "群众满意率"]
    assert ind.aggregate == "none"


def test_a_custom_ratio_is_made_of_two_counts(app, demo_store):
    custom = app.custom
    custom.choose(kind="ratio")
    custom.choose(name="视频会议比重")
    custom.choose(direction="越多越好")
    custom.click("add")
    assert "分子" in custom.message  # not chosen yet
    custom.choose(numerator="meeting_video")
    custom.choose(denominator="meeting_count")
    custom.click("add")
    [ind] = [i for i in demo_store.catalog() if i.name == "视频会议比重"]
    assert (ind.kind, ind.numerator, ind.denominator, ind.measure) == (
        "ratio",
        "meeting_video",
        "meeting_count",
        "%",
    )
