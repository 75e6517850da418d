"""Every writer is safe on its own (issue 16, item 10).

A database written before text was cleaned at the door can still hold U+FFFE,
U+FFFF, control characters and lone surrogates in unit names, notes, custom
indicators and answers. Each writer (.xlsx/.csv exports, the template, the
self-assessment exports, .docx/.md/.txt drafts, chart SVG/PNG and the chart on the
page) must still write a file that opens. Charts are drawn in a subprocess: the
renderer panics on such characters and aborts the process, which must fail the
test rather than kill pytest.
"""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap

import openpyxl
import pandas as pd
import pytest
from docx import Document
from sqlalchemy import text

from jianfu.text.characters import UNHOLDABLE

# what the renderer panics on (C0 controls, U+FFFE, U+FFFF) and what cannot be encoded
HOSTILE = "\ufffe\x01\uffff\x1f\ud800"
DIRTY_UNIT = f"示例县城关{HOSTILE}镇"


def holdable(value: object) -> bool:
    return not (isinstance(value, str) and UNHOLDABLE.search(value))


def sheet_values(data: bytes) -> list[object]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [cell.value for ws in wb.worksheets for row in ws.iter_rows() for cell in row]


@pytest.fixture
def dirty_store(demo_store):
    """The demo data with hostile text written straight into the tables."""
    ind = demo_store.add_custom_indicator(
        {"name": "挂牌数", "category": "成效", "measure": "块", "direction": "越少越好"}
        | {"kind": "count", "aggregate": "sum", "description": "说明"}
    )
    with demo_store.engine.begin() as conn:
        # sqlite3 cannot bind a lone surrogate: those come in through widgets, tested elsewhere
        plain = HOSTILE.replace("\ud800", "")
        conn.execute(
            text("UPDATE units SET name = :n WHERE name = '示例县城关镇'"),
            {"n": DIRTY_UNIT.replace("\ud800", "")},
        )
        conn.execute(text("UPDATE observations SET note = :n"), {"n": f"备{plain}注"})
        conn.execute(
            text("UPDATE custom_indicators SET name = :n, description = :d WHERE code = :c"),
            {"n": f"挂牌{plain}数", "d": f"说{plain}明", "c": ind.code},
        )
    return demo_store


# ---- spreadsheets --------------------------------------------------------------------------


@pytest.mark.parametrize("layout", ["long", "wide"])
def test_data_exports_open_whatever_the_database_holds(dirty_store, layout):
    from jianfu.dataio.all_data import export_csv, export_xlsx

    obs, catalog = dirty_store.observations(), dirty_store.catalog()
    values = sheet_values(export_xlsx(obs, catalog, layout=layout))
    assert "示例县城关镇" in values and all(holdable(v) for v in values)
    csv = export_csv(obs, catalog, layout=layout).decode("utf-8-sig")
    assert "示例县城关镇" in csv and holdable(csv)


def test_the_template_opens_whatever_the_database_holds(dirty_store):
    from openpyxl import load_workbook

    from jianfu.dataio.template import template_xlsx

    data = template_xlsx(dirty_store.catalog(), dirty_store.unit_names(), ["2025年"])
    values = sheet_values(data)
    assert "示例县城关镇" in values and all(holdable(v) for v in values)
    comments = [c.comment.text for c in load_workbook(io.BytesIO(data))["填报"][1] if c.comment]
    assert any(c.endswith("计量单位：块\n方向：越少越好") for c in comments) or any(
        "计量单位：块" in c and c.endswith("说明") for c in comments
    )
    assert all(holdable(c) for c in comments)


def test_a_table_export_opens_with_any_text():
    from jianfu.dataio.sheet_writer import table_xlsx

    table = pd.DataFrame({"单位": [DIRTY_UNIT, f"={HOSTILE}1+1"], "数值": [1, 2]})
    values = sheet_values(table_xlsx(table, sheet="对比表"))
    assert values[2:] == ["示例县城关镇", 1, "'=1+1", 2]


def test_self_assessment_exports_open_whatever_the_database_holds(tmp_path):
    from jianfu.assess.aggregate import Filters
    from jianfu.assess.questionnaire import load_questionnaire
    from jianfu.assess.spreadsheets import export_answers, export_summary
    from jianfu.assess.store import AssessStore

    store = AssessStore(f"sqlite:///{tmp_path / 'assess.sqlite'}")
    store.create_session("live1", "现场自评", units=["甲镇"])
    for n in range(5):
        sid = store.draft("live1", f"token-for-person-{n:04d}").submission_id
        answers = {f"q0{k}": 2 for k in range(1, 10)} | {"g01": 3, "overall": 5}
        store.save("live1", 1, sid, answers | {"comment": f"意见{n}"}, submit=True)
    store.release_comments("live1")  # only released comments are exported
    with store.engine.begin() as conn:
        conn.execute(
            text("UPDATE assess_answers SET text = :t WHERE item = 'comment'"),
            {"t": "少开会\ufffe\x01"},
        )
    session = store.session("live1")
    form, responses = load_questionnaire(session.form), store.responses("live1")
    for export in (
        lambda fmt: export_summary(form, session, responses, Filters(), fmt),
        lambda fmt: export_answers(form, responses, Filters(), fmt),
    ):
        values = sheet_values(export("xlsx"))
        assert "少开会" in values and all(holdable(v) for v in values)
        csv = export("csv").decode("utf-8-sig")
        assert "少开会" in csv and holdable(csv)
    store.engine.dispose()


# ---- drafts --------------------------------------------------------------------------------


def _dirty_draft():
    from jianfu.speech.model import Draft, Paragraph, Section

    draft = Draft(
        sections=[Section("主要做法", paragraphs=[Paragraph("发文减少。", "point", "严控发文")])]
    )
    paragraph = draft.sections[0].paragraphs[0]
    # as a draft saved before the rule, or a field set directly, would hold them
    draft.title, draft.speaker, draft.unit = (
        f"减负{HOSTILE}减出好作风",
        f"张{HOSTILE}三",
        DIRTY_UNIT,
    )
    paragraph.text, paragraph.topic = f"发文{HOSTILE}减少。", f"严控{HOSTILE}发文"
    draft.sections[0].title = f"主要{HOSTILE}做法"
    return draft


@pytest.mark.parametrize(
    ("script", "title", "sentence"),
    [("", "减出好作风", "发文减少"), ("s2t", "減出好作風", "發文減少")],
)
def test_drafts_export_whatever_they_hold(script, title, sentence):
    from jianfu.speech.documents import export_draft

    draft = _dirty_draft()
    docx = export_draft(draft, ".docx", script)
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert title in body and sentence in body and holdable(body)
    assert docx.filename == "减负减出好作风.docx"
    for suffix in (".md", ".txt"):
        written = export_draft(draft, suffix, script).data.decode("utf-8")
        assert title in written and sentence in written and holdable(written)


# ---- charts --------------------------------------------------------------------------------

CHARTS = textwrap.dedent(
    """
    import sys
    from jianfu.charts.images import chart_svg_html, to_png, to_svg
    from jianfu.charts.figures import pair_figures, trend_figures
    from jianfu.compare import selection
    from jianfu.store import Store

    store = Store(sys.argv[1])
    catalog, obs = store.catalog(), store.observations()
    dirty = next(u for u in store.unit_names() if u.startswith("示例县城关"))
    figures = []
    for units in ((dirty, "示例县青山镇"), (dirty,)):  # ranking, then one unit
        sel = selection.Selection(units=units, before="2023年", after="2024年")
        figures += pair_figures(selection.run_comparison(obs, catalog, sel, said_units=0), catalog)
    sel = selection.Selection(units=(dirty,), periods=("2023年", "2024年"))
    figures += trend_figures(selection.run_trend(obs, catalog, sel)[0], catalog)
    for figure in figures:  # first pages: the dirty unit is on every one
        pages = figure.pages("slide")
        assert "城关" in to_svg(pages[0]), figure.kind
        print(figure.kind, len(pages), figure.filename("png"), flush=True)
    assert "城关" in chart_svg_html(figures[0].pages("screen")[0])  # the chart on the page
    to_png(figures[0].pages("slide")[0], scale=1)
    print("done")
    """
)


def run_charts(url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", CHARTS, url], capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_charts_of_a_dirty_unit_render_without_aborting(dirty_store):
    done = run_charts(dirty_store.url)
    assert done.returncode == 0, done.stderr[-2000:]
    kinds = [line.split()[0] for line in done.stdout.splitlines()]
    assert kinds == ["change", "before_after", "ranking", "change", "before_after"] + [
        "category",
        "trend",
        "done",
    ]
    assert "示例县城关镇_2023年-2024年_变化幅度.png" in done.stdout


PROBE = textwrap.dedent(
    """
    import sys
    from jianfu.charts.images import to_svg

    text = "".join(chr(c) for c in map(int, sys.argv[1].split(",")))
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    spec = {
        "data": {"values": [{"u": line, "v": 1} for line in lines]},
        "mark": "bar",
        "encoding": {"x": {"field": "u", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}},
        "title": {"text": lines},
    }
    to_svg(spec)
    print("done")
    """
)
# control and format characters, the surrogate edges, noncharacters, the ends of planes
PROBED = [
    *range(0x00, 0x100),
    *range(0x2000, 0x2070),
    *range(0xD7F0, 0xD800),
    *range(0xE000, 0xE010),
    *range(0xFDD0, 0xFDF0),
    *range(0xFE00, 0xFE10),
    *range(0xFFF0, 0x10000),
    *(p * 0x10000 + k for p in range(1, 17) for k in (0, 0xFFFD, 0xFFFE, 0xFFFF)),
]


@pytest.mark.slow
def test_no_character_makes_the_chart_renderer_abort():
    """Every character above, in titles and axis labels, once through to_svg's cleaning.
    (Uncleaned, U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE and U+FFFF make
    vl-convert panic: exit 134.)"""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, ",".join(map(str, PROBED))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.strip() == "done", done.stderr[-2000:]


# ---- from a file to every writer -----------------------------------------------------------


HOSTILE_CSV = (
    "单位,时期,发文数量,会议数量,备注\n"
    "示例\ufffe县\x01,2023年,46,30,备\uffff注\n"
    "示例\ufffe县\x01,2024年,31,20,\x1f\n"
    "青山\x0b镇\u2066,2023年,20,10,\n"
    "青山\x0b镇\u2066,2024年,18,9,\n"
)


def test_a_hostile_csv_imports_clean_and_every_writer_works(tmp_path, data_dir, capsys):
    from jianfu.cli import main

    (tmp_path / "报表.csv").write_bytes(HOSTILE_CSV.encode("utf-8"))
    assert main(["import", str(tmp_path / "报表.csv")]) == 0
    assert main(["export", str(tmp_path / "导出.xlsx")]) == 0
    assert main(["export", str(tmp_path / "导出.csv")]) == 0
    assert main(["template", str(tmp_path / "模板.xlsx")]) == 0
    draft = [
        "draft",
        "--genre",
        "研讨交流发言",
        "--unit",
        "示例县",
        "--out",
        str(tmp_path / "稿.docx"),
    ]
    assert main([*draft, "--before", "2023年", "--after", "2024年"]) == 0
    values = sheet_values((tmp_path / "导出.xlsx").read_bytes())
    assert {"示例县", "青山 镇", "备注"} <= set(values)
    assert "青山 镇" in (tmp_path / "导出.csv").read_bytes().decode("utf-8-sig")
    assert "示例县" in sheet_values((tmp_path / "模板.xlsx").read_bytes())
    body = "".join(p.text for p in Document(str(tmp_path / "稿.docx")).paragraphs)
    assert "示例县" in body and holdable(body)
