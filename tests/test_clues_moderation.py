"""Moderation: what a reporter writes reaches the office's 问题线索 board and its exports,
and nothing a room or a projector sees.

A report carrying unique markers (in the account, the unit named, the contact) sits in
the workbook's database, verified, with a reply; every other private view built on that
database (自评汇总 and its 投屏 view, 对比分析 and its 演示 view, 发言稿 with the clue
evidence, the 通报) is searched for the markers through the widgets' whole state —
everything a page could show. The public server's pages: tests/test_clues_room.py.
"""

from __future__ import annotations

import io
import json
from datetime import date
from functools import partial

import ipywidgets as w
import pytest
from docx import Document
from openpyxl import load_workbook

from jianfu.assess.store import AssessStore
from jianfu.clues.evidence import draft_evidence
from jianfu.clues.export import clues_xlsx
from jianfu.clues.model import TRUE
from jianfu.clues.notice import notice_docx, notice_draft
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from
from jianfu.speech.render import blocks

ACCOUNT = "原话标记甲七三"  # in what happened
UNIT = "单位标记乙五九"  # in the unit the reporter named
CONTACT = "联系标记丙二八"
MARKERS = (ACCOUNT, UNIT, CONTACT)
REPLY = "已要求督查室取消照片要求"
COUNTED = "今年以来收到问题线索1条，经核实属实或部分属实1条，为督检考方面"


def everything_shown(root: w.Widget) -> str:
    """Every synced value of ``root`` and of every widget it holds, as one text: all that
    its page could show (hidden or not)."""
    seen, todo, parts = set(), [root], []
    while todo:
        widget = todo.pop()
        if id(widget) in seen:
            continue
        seen.add(id(widget))
        for key in widget.keys:
            value = getattr(widget, key)
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, w.Widget):
                    todo.append(item)
                else:
                    parts.append(json.dumps(item, ensure_ascii=False, default=str))
    return "\n".join(parts)


@pytest.fixture
def reported(demo_store):
    """The demo workbook with one verified report carrying the markers."""
    clues = ClueStore(demo_store.url)
    form = {"category": "督检考", "imposed_by": UNIT, "contact_ok": "1", "contact": CONTACT}
    clues.submit(report_from({**form, "what": f"检查要求每村提供二十张照片。{ACCOUNT}"}))
    clues.change_status(1, TRUE, "电话核实属实")
    clues.set_reply(1, REPLY)
    sessions = AssessStore(demo_store.url)
    sessions.create_session("modroom", "现场自评")
    yield demo_store, clues
    clues.engine.dispose()
    sessions.engine.dispose()


def assert_hidden(text: str) -> None:
    assert [m for m in MARKERS if m in text] == []


def test_the_board_and_its_export_show_what_was_reported(reported):
    from jianfu_widgets.clues import ClueBoard

    _, clues = reported
    shown = everything_shown(ClueBoard(clues))
    assert ACCOUNT in shown and UNIT in shown  # the office reads the report in full
    sheet = load_workbook(io.BytesIO(clues_xlsx(clues.clues()))).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert ACCOUNT in cells and UNIT in cells and CONTACT not in cells  # no contact exported


def test_the_self_assessment_dashboard_and_its_projector_view_show_no_report(reported):
    from jianfu_widgets.dashboard import DashboardApp

    store, _ = reported
    app = DashboardApp(AssessStore(store.url), public_url="http://192.0.2.10:8870/")
    page = everything_shown(app)
    app.choose(projector=True)
    projector = everything_shown(app)
    assert "现场自评" in page + projector  # the views were built on this database
    assert_hidden(page + projector)


@pytest.mark.slow  # 0.8 s
@pytest.mark.parametrize("present", [False, True])
def test_the_comparison_and_its_presentation_view_show_no_report(reported, present):
    from jianfu_widgets.compare import CompareApp

    store, _ = reported
    shown = everything_shown(CompareApp(store, present=present, background=False))
    assert "示例县" in shown
    assert_hidden(shown)


def test_the_draft_says_the_counts_never_the_report(reported):
    from jianfu_widgets.draft import DraftApp

    store, _ = reported
    app = DraftApp(store, findings=partial(draft_evidence, store.url, engine=store.engine))
    app.choose(unit="示例县")
    app.click("compose")
    assert app.draft is not None, app.status_text
    shown = everything_shown(app)
    assert COUNTED in shown  # the clue evidence is in the draft
    assert_hidden(shown)
    assert_hidden(" ".join(b.text for b in blocks(app.draft)))


def test_the_notice_says_only_what_the_office_wrote(reported):
    _, clues = reported
    today = date.today()
    period = f"{today.year}年"
    text = "\n".join(b.text for b in blocks(notice_draft(clues.clues(), period, "减负办")))
    assert "经核实属实或部分属实1条" in text and "【待补充】" in text
    assert_hidden(text + REPLY)
    clues.set_measures(1, f"督查中要求每村提供照片，已取消（{ACCOUNT}）")  # the office quotes it
    doc = Document(io.BytesIO(notice_docx(clues.clues(), period, "减负办")))
    said = "\n".join(p.text for p in doc.paragraphs)
    assert ACCOUNT in said and UNIT not in said and CONTACT not in said
