"""A group that holds a unit and its own subordinates (issue 17, item 8).

Each unit records whether its figures are 本级 or 含下级 (not stated counts as 本级 and
is asked about). A group mixing a parent with its subordinates is said so in page, CLI,
sentences and chart notes; the sum is refused when the parent's figures include them.
Group names follow the current selection.
"""

import json

import pytest
from sqlalchemy import text

from jianfu.charts.figures import pair_figures
from jianfu.charts.sizes import SCREEN
from jianfu.cli import main
from jianfu.compare.groups import default_group_name, overlaps
from jianfu.compare.selection import Selection, run_comparison
from jianfu.errors import JianfuError
from jianfu.store import SCHEMA_VERSION, Store
from jianfu_widgets.compare import CompareApp
from jianfu_widgets.labels_panel import LabelActions, LabelsPanel

COUNTY = ("示例县", "示例县城关镇", "示例县青山镇")
PAIR = {"before": "2023年", "after": "2024年"}


@pytest.fixture
def no_svg(monkeypatch):
    import jianfu.charts.images as export

    monkeypatch.setattr(export, "chart_svg_html", lambda chart: "<svg>stub</svg>")


# ---- the flag in the store ------------------------------------------------------------


def test_units_record_whether_their_figures_include_subordinates(store):
    store.add_unit("某县", "县", None, scope="含下级")
    store.add_unit("某镇", "乡镇", "某县")
    units = store.units().set_index("name")
    assert units.loc["某县", "scope"] == "含下级"
    assert units.loc["某镇", "scope"] == ""  # not stated: counted as 本级, asked when it matters
    store.update_unit("某镇", "乡镇", "某县", scope="本级")
    store.update_unit("某县", "县", None)  # not given: kept
    units = store.units().set_index("name")
    assert units.loc["某镇", "scope"] == "本级" and units.loc["某县", "scope"] == "含下级"
    with pytest.raises(JianfuError, match="本级、含下级"):
        store.set_unit_scope("某县", "全部")


def test_a_version_2_database_gains_the_flag(tmp_path, catalog):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url, catalog=catalog)
    store.add_unit("某县", "县")
    with store.engine.begin() as conn:  # back to the schema before the flag
        conn.execute(text("ALTER TABLE units DROP COLUMN scope"))
        conn.execute(text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
    store.engine.dispose()
    reopened = Store(url, catalog=catalog)
    assert reopened.schema_version() == SCHEMA_VERSION >= 3
    assert reopened.units().set_index("name").loc["某县", "scope"] == ""
    reopened.set_unit_scope("某县", "含下级")
    assert reopened.units().set_index("name").loc["某县", "scope"] == "含下级"


# ---- the engine's selection -----------------------------------------------------------


def test_overlaps_name_the_parent_and_its_subordinates_in_the_group(demo_store):
    found = overlaps(COUNTY, demo_store.units())
    assert [(o.parent, o.below, o.scope) for o in found] == [
        ("示例县", ("示例县城关镇", "示例县青山镇"), "")
    ]
    assert overlaps(COUNTY[1:], demo_store.units()) == []


def test_a_parent_of_unstated_scope_is_summed_with_a_word_about_it(demo_store):
    obs, catalog, units = demo_store.observations(), demo_store.catalog(), demo_store.units()
    sel = Selection(units=COUNTY, group="合计", **PAIR)
    result = run_comparison(obs, catalog, sel, hierarchy=units)
    doc = result.table.set_index("indicator").loc["doc_count"]
    assert doc["before"] == 285  # 200 + 46 + 39, as 本级 figures
    note = result.overlap_note
    assert "示例县" in note and "示例县城关镇、示例县青山镇" in note and "未注明" in note
    assert note in result.sentences


def test_a_parent_whose_figures_include_subordinates_is_not_summed_with_them(demo_store):
    demo_store.set_unit_scope("示例县", "含下级")
    obs, catalog, units = demo_store.observations(), demo_store.catalog(), demo_store.units()
    sel = Selection(units=COUNTY, group="合计", **PAIR)
    with pytest.raises(JianfuError, match="示例县的数据含下级单位，不能再与其下级单位"):
        run_comparison(obs, catalog, sel, hierarchy=units)
    side_by_side = Selection(units=COUNTY, **PAIR)  # not summed: nothing counted twice
    assert run_comparison(obs, catalog, side_by_side, hierarchy=units).overlap_note == ""


@pytest.mark.slow  # 1.3 s
def test_chart_notes_say_the_group_mixes_levels(demo_store, no_svg):
    demo_store.set_unit_scope("示例县", "本级")
    obs, catalog, units = demo_store.observations(), demo_store.catalog(), demo_store.units()
    result = run_comparison(
        obs, catalog, Selection(units=COUNTY, group="合计", **PAIR), hierarchy=units
    )
    assert "本级" in result.overlap_note and "未注明" not in result.overlap_note
    for figure in pair_figures(result, catalog):
        spec = json.dumps(figure.pages(SCREEN)[0].to_dict(), ensure_ascii=False)
        assert "示例县城关镇、示例县青山镇，为本级与下级之和" in spec, figure.name


# ---- CLI ------------------------------------------------------------------------------


def _county_args():
    units = [a for u in COUNTY for a in ("--unit", u)]
    return ["compare", "--before", "2023年", "--after", "2024年", *units, "--group", "合计"]


def test_cli_says_the_group_mixes_a_parent_and_refuses_when_it_includes_them(demo_data_dir, capsys):
    assert main(_county_args()) == 0
    out = capsys.readouterr().out
    assert "示例县城关镇、示例县青山镇" in out and "未注明" in out
    Store.default().set_unit_scope("示例县", "含下级")
    assert main(_county_args()) == 2
    captured = capsys.readouterr()
    assert "示例县的数据含下级单位" in captured.err and captured.out == ""


# ---- the page ------------------------------------------------------------------------


def test_page_asks_whether_the_parent_includes_its_subordinates(demo_store, no_svg):
    app = CompareApp(demo_store)
    assert not app.shown("scope_box")
    app.choose(group=True, units=COUNTY)
    assert app.shown("scope_box") and app.shown("scope_all")
    assert "示例县" in app.output("scope_question")
    assert any("示例县城关镇、示例县青山镇" in s for s in app.sentences)
    app.click("scope_all")  # “含下级”: saved, and the sum is refused
    assert demo_store.units().set_index("name").loc["示例县", "scope"] == "含下级"
    assert "不能再与其下级单位" in app.message and app.result is None
    assert not app.shown("scope_box")


def test_page_sums_a_parent_said_to_be_its_own_level_with_a_note(demo_store, no_svg):
    app = CompareApp(demo_store)
    app.choose(group=True, units=COUNTY)
    app.click("scope_own")
    assert demo_store.units().set_index("name").loc["示例县", "scope"] == "本级"
    assert not app.shown("scope_box")
    assert app.result.overlap_note and "本级" in app.output("table")


def test_group_name_follows_the_selection(demo_store, no_svg):
    app = CompareApp(demo_store)
    app.choose(parent="示例县")
    app.click("rollup")
    assert app.chosen("group_name") == "示例县（下级合计）"
    app.choose(units=("示例县", "示例县城关镇"))
    assert "下级合计" not in app.chosen("group_name")
    assert set(app.result.table["unit"]) == {app.chosen("group_name")}
    app.choose(group_name="我们的名字")  # typed by the user: kept
    app.choose(units=("示例县城关镇", "示例县青山镇"))
    assert set(app.result.table["unit"]) == {"我们的名字"}


@pytest.mark.parametrize(
    "members, name",
    [
        (("示例县城关镇", "示例县青山镇"), "示例县（下级合计）"),  # every unit below 示例县
        (("示例县", "示例县城关镇"), "示例县、示例县城关镇汇总"),
        (("区委组织部", "公安分局", "示例县", "示例支队"), "区委组织部等4个单位汇总"),
    ],
)
def test_default_group_names(demo_store, members, name):
    assert default_group_name(members, demo_store.units()) == name


def test_labels_panel_edits_the_flag(demo_store):
    calls = []
    actions = LabelActions(
        add_unit=lambda *a, **k: calls.append(("add", a, k)) or a[0],
        update_unit=lambda *a, **k: calls.append(("update", a, k)),
        rename_unit=lambda old, new: new,
        delete_unit=lambda name: 0,
        add_period=lambda label: label,
        rename_period=lambda old, new: new,
        delete_period=lambda label: 0,
        set_period_order=lambda order: None,
        count_values=lambda **k: 0,
    )
    panel = LabelsPanel(("县", "乡镇"), actions, on_changed=lambda u, p: None)
    panel.refresh(demo_store.units(), demo_store.periods())
    panel.choose(unit="示例县", unit_scope="含下级")
    panel.click("update_unit")
    assert calls[-1] == ("update", ("示例县", "县", None), {"scope": "含下级"})
    panel.choose(new_unit="新镇", new_scope="本级")
    panel.click("add_unit")
    assert calls[-1][0] == "add" and calls[-1][2] == {"scope": "本级"}
