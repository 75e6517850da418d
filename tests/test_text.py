"""Characters where text comes in (issue 16, items 9 and 10): one rule, every boundary.

Invisible characters (every Unicode format character, Cf) and blank-looking letters
made one unit several; control characters, noncharacters and lone surrogates went
into the database and later broke every file written from it. Here: the rule
itself, then each boundary (spreadsheet import, entry forms, custom indicators,
draft editor, public answers, data files) with generated input.
"""

from __future__ import annotations

import sys
import unicodedata

import pytest

from jianfu.catalog import load_catalog
from jianfu.dataio.all_data import export_csv, export_xlsx
from jianfu.dataio.importer import import_file
from jianfu.errors import JianfuError, ValidationError
from jianfu.text.characters import clean_name, clean_text
from jianfu.text.formula import cell_safe
from jianfu.text.names import clean_note, clean_unit
from jianfu.text.periods import clean_period
from tests.support.sheetfiles import xlsx

CATALOG = load_catalog()
# every character no file may hold, one of each kind
UNHOLDABLE = [
    "\x00",
    "\x01",
    "\x08",
    "\x0b",
    "\x0c",
    "\x0e",
    "\x1f",
    "\x7f",
    "\x80",
    "\x85",
    "\x9f",
    "\ud800",  # lone surrogates
    "\udfff",
    "\ufdd0",  # noncharacters
    "\ufdef",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
]
BLANK_LOOKING = ["\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"]
FORMAT_CHARACTERS = [
    chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"
]


def _names(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# ---- the rule ----------------------------------------------------------------------------


@pytest.mark.parametrize("ch", FORMAT_CHARACTERS, ids=_names)
def test_every_format_character_is_gone_from_a_name(ch):
    assert clean_name(f"城{ch}关镇{ch}") == "城关镇"
    assert clean_period(f"2024{ch}年") == "2024年"


@pytest.mark.parametrize("ch", ["\u034f", "\u180b", "\ufe0f", "\ufff0", "\U000e0100"], ids=_names)
def test_other_characters_that_draw_nothing_are_gone_from_a_name(ch):
    assert clean_name(f"城{ch}关镇") == "城关镇"


@pytest.mark.parametrize("ch", BLANK_LOOKING, ids=_names)
def test_blank_looking_letters_count_as_spaces(ch):
    assert clean_name(f"{ch}城关镇{ch}") == "城关镇"
    assert clean_name(f"城关{ch}{ch} 镇") == "城关 镇"
    assert clean_name(ch * 3) == ""
    assert clean_unit(f"{ch}\u200b") == ""


@pytest.mark.parametrize("ch", UNHOLDABLE, ids=_names)
def test_characters_no_file_can_hold_are_dropped(ch):
    assert "\ufffd" not in clean_text(f"a{ch}b")
    assert clean_text(f"说明{ch}。") in ("说明。", "说明\n。")
    assert clean_name(f"示例{ch}县") in ("示例县", "示例 县")
    assert clean_note(f"备{ch}注") in ("备注", "备\n注")
    assert clean_period(f"2024{ch}年") == "2024年"


@pytest.mark.parametrize(
    ("typed", "lines", "kept"),
    [
        ("第一行\n第二行\t完", True, "第一行\n第二行\t完"),  # a note keeps its lines and tabs
        ("第一行\r\n第二行", True, "第一行\r\n第二行"),
        ("Word的换行\x0b在此", True, "Word的换行\n在此"),  # vertical tab: Word's Shift+Enter
        ("第一行\n第二行\t完", False, "第一行 第二行 完"),  # one-line fields: a space
        ("第一行\r\n第二行", False, "第一行 第二行"),
        ("无异常文字😀‍👍", True, "无异常文字😀‍👍"),  # free text keeps joiners
        (None, True, ""),
    ],
)
def test_line_breaks_and_tabs(typed, lines, kept):
    assert clean_text(typed, lines=lines) == kept


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_the_apostrophe_a_writer_adds_is_the_one_a_reader_takes_off(start):
    """The export guarded formulas with one set of characters, the import undid another."""
    typed = f"{start}甲镇"
    assert cell_safe(typed) == f"'{typed}"
    assert clean_unit(cell_safe(typed)) == clean_name(typed)
    assert clean_note(cell_safe(typed)) == typed.strip()


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_an_exported_note_imports_back_without_the_apostrophe(store, start):
    note = f"{start}1+1说明"
    store.save_observations(
        _frame([("甲镇", "2024年", "doc_count", 3, note)]),
    )
    for name, data in (
        ("往返.xlsx", export_xlsx(store.observations(), store.catalog())),
        ("往返.csv", export_csv(store.observations(), store.catalog())),
    ):
        back = import_file(data, name, store.catalog()).observations
        assert back["note"].tolist() == [note.strip()], name


def _frame(rows):
    import pandas as pd

    return pd.DataFrame(rows, columns=["unit", "period", "indicator", "value", "note"])


# ---- spreadsheet import -------------------------------------------------------------------


def test_invisible_and_blank_looking_characters_do_not_split_a_unit_in_a_csv():
    csv = (
        "单位,时期,发文数量\n"
        "示例县,2021年,5\n"
        "\u2066示例县\u2069,2022年,4\n"  # bidi isolates
        "示例\u180e县,2023年,3\n"  # Mongolian vowel separator
        "示例县\u3164,2024年\u2800,2\n"  # Hangul filler, braille blank
        "\ufeff示例\u2062县\U000e0041,2025年,1\n"  # BOM, invisible times, a tag
    ).encode()
    result = import_file(csv, "表.csv", CATALOG)
    assert result.units == ["示例县"]
    assert result.periods == ["2021年", "2022年", "2023年", "2024年", "2025年"]


def test_names_and_notes_lose_what_no_file_can_hold_in_a_csv():
    csv = (
        "单位,时期,发文数量,备注\n"
        "示例\ufffe县,2023年,30,备\x01注\uffff\n"
        "示例县\x1f,2024年,20,\x00\n"
        "乙\x0b镇,2024年,20,\ufdd0\n"
    ).encode()
    obs = import_file(csv, "表.csv", CATALOG).observations
    assert obs["unit"].tolist() == ["示例县", "示例县", "乙 镇"]
    assert obs["note"].tolist() == ["备注", "", ""]


def test_names_and_notes_lose_what_no_file_can_hold_in_an_xlsx():
    data = xlsx(
        (
            "Sheet",
            [
                ["单位", "时期", "发文数量", "备注"],
                ["示例\x85县", "2023年", 30, "备\x9f注\ufdd0"],
                ["示例县\u2067", "2024\x7f年", 20, "\U0001fffe"],
                ["\u3164示例县", "2022年", 10, "说明\u2066"],
            ],
        )
    )
    obs = import_file(data, "表.xlsx", CATALOG).observations
    assert set(obs["unit"]) == {"示例县"}
    assert obs["period"].tolist() == ["2023年", "2024年", "2022年"]
    assert obs["note"].tolist() == ["备注", "", "说明\u2066"]  # a note is text, not a name


@pytest.mark.parametrize("blank", ["\u3164", "\u2800\u2800", "\u200b\u2066\u2069", "\u115f\u1160"])
def test_a_name_blank_after_cleaning_is_refused_with_its_row(blank):
    csv = f"单位,时期,发文数量\n示例县,2024年,3\n{blank},2024年,4\n示例县,{blank},5\n".encode()
    with pytest.raises(ValidationError) as info:
        import_file(csv, "表.csv", CATALOG)
    assert [str(p) for p in info.value.problems] == [
        "文件“表.csv”第3行“单位”列：单位不能为空",
        "文件“表.csv”第4行“时期”列：时期不能为空",
    ]


# ---- the store: entry forms, imports, custom indicators ---------------------------------------


@pytest.mark.parametrize("ch", ["\ufffe", "\x01", "\u2066", "\u3164", "\ud800", "\x85"], ids=_names)
def test_unit_and_period_names_are_cleaned_where_they_are_saved(store, ch):
    assert store.add_unit(f"示例{ch}县") in ("示例县", "示例 县")
    assert store.add_period(f"2024{ch}年") in ("2024年", "2024 年")
    store.add_unit("乙镇")
    assert store.rename_unit("乙镇", f"丙{ch}镇") in ("丙镇", "丙 镇")


@pytest.mark.parametrize("blank", ["\u3164", "\u2800", "\u200b\u2066", "\ufffe\x00"])
def test_a_blank_looking_name_is_refused_by_the_store(store, blank):
    with pytest.raises(JianfuError, match="单位名称不能为空"):
        store.add_unit(blank)
    with pytest.raises(JianfuError, match="时期名称不能为空"):
        store.add_period(blank)
    with pytest.raises(ValidationError, match="单位和时期不能为空"):
        store.save_observations(_frame([(blank, "2024年", "doc_count", 1, "")]))


def test_notes_and_sources_are_cleaned_where_they_are_saved(store):
    frame = _frame([("甲\ufffe镇", "2024年", "doc_count", 1, "备\x00注\ud800")])
    store.save_observations(frame, source="来\uffff源")
    obs = store.observations()
    assert obs[["unit", "note", "source"]].values.tolist() == [["甲镇", "备注", "来源"]]


def test_a_custom_indicator_is_cleaned_where_it_is_saved(store):
    ind = store.add_custom_indicator(
        {
            "name": "村级\u2066挂牌\ufffe数\x01",
            "category": "成效",
            "measure": "块\u200b",
            "direction": "越少越好",
            "kind": "count",
            "aggregate": "sum",
            "description": "第一行\x00\n第二行\uffff",
        }
    )
    assert (ind.name, ind.measure, ind.description) == ("村级挂牌数", "块", "第一行\n第二行")
    assert store.catalog()[ind.code].name == "村级挂牌数"
    with pytest.raises(JianfuError, match="名称"):
        store.add_custom_indicator(
            {"name": "\u3164\u200b", "category": "成效", "measure": "块"}
            | {"direction": "越少越好", "kind": "count", "aggregate": "sum"}
        )


def test_entry_page_names_blank_looking_units(demo_store):
    from jianfu_widgets.entry import EntryApp

    app = EntryApp(demo_store)
    labels = app.labels
    labels._new_unit.value = "\u3164\u2066"
    labels._add_unit.click()
    assert labels._status.text == "操作未完成：单位名称不能为空"
    labels._new_unit.value = "示例县\u2066城关镇\ufffe"
    labels._add_unit.click()
    assert "已存在" in labels._status.text  # the same unit, not a second one
    assert sum("城关镇" in u for u in demo_store.unit_names()) == 1


def test_entry_page_custom_indicator_is_cleaned(demo_store):
    from jianfu_widgets.entry import EntryApp

    custom = EntryApp(demo_store).custom
    custom._name.value = "村级挂牌\ufffe数\u2066"
    custom._measure.value = "块\x01"
    custom._direction.value = "越少越好"
    custom._add.click()
    assert custom._status.text == "已添加指标“村级挂牌数”"
    assert any(i.name == "村级挂牌数" and i.measure == "块" for i in demo_store.catalog())


# ---- the draft editor ------------------------------------------------------------------------


def test_draft_editor_text_is_cleaned_as_it_is_typed(demo_store):
    from jianfu_widgets.draft import DraftApp

    app = DraftApp(demo_store)
    app._unit.value = "示例县城关镇"
    app._compose.click()
    draft = app.draft
    pid = draft.sections[1].paragraphs[0].id
    app.paragraph_editor(pid).text.value = "发文\ufffe减少\x00了\ud800。"
    app._meta["title"].value = "减负\uffff减出\x1f好作风"
    assert draft.paragraph(pid).text == "发文减少了。"
    assert draft.title == "减负减出好作风"
    saved = app.draft_store.load(draft.id)
    assert saved.title == "减负减出好作风" and saved.paragraph(pid).text == "发文减少了。"


# ---- the public self-assessment --------------------------------------------------------------


def test_public_answers_and_session_fields_are_cleaned(tmp_path):
    from jianfu.assess.store import AssessStore
    from jianfu_widgets.assess import ParticipantPage

    store = AssessStore(f"sqlite:///{tmp_path / 'assess.sqlite'}")
    store.create_session(
        "live1",
        "现场\ufffe自评\x01",
        units=["甲\u2066镇", "乙镇\x00", "\u3164"],
        organiser="组\uffff织",
    )
    session = store.session("live1")
    assert (session.title, session.units) == ("现场自评", ("甲镇", "乙镇"))
    page = ParticipantPage(store, "live1", "a-participant-token-0001")
    page.question("comment").value = "少开会\ufffe，\x00多办事\ud800\n第二行\x0b"
    [mine] = store.responses("live1", submitted_only=False)
    assert mine.answers["comment"] == "少开会，多办事\n第二行"
    store.engine.dispose()


# ---- data files ------------------------------------------------------------------------------


def test_yaml_data_files_are_cleaned_as_they_are_read(tmp_path):
    from jianfu.datafiles import read_yaml

    path = tmp_path / "phrases.yaml"
    path.write_text('items:\n  - "精简\\uFFFE文件\\x01"\n  - {"名\\u0000称": "\\uFFFF"}\n', "utf-8")
    assert read_yaml(path, "短语库") == {"items": ["精简文件", {"名称": ""}]}


# ---- the compare page: the name typed for a combined unit -------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown"), [("两\ufffe镇\u2066", "两镇"), ("\u3164\x01", "合计"), ("两\n镇", "两 镇")]
)
def test_the_name_of_a_combined_unit_is_cleaned(demo_store, monkeypatch, typed, shown):
    import jianfu.charts.images as export
    from jianfu_widgets.compare import CompareApp

    monkeypatch.setattr(export, "chart_svg_html", lambda chart: "<svg>stub</svg>")
    app = CompareApp(demo_store)
    app._units.value = ("示例县城关镇", "示例县青山镇")
    app._group.value = True
    app._group_name.value = typed
    assert set(app.result.table["unit"]) == {shown}
