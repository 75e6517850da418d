"""The 问题线索 board: filters, triage with a note, reply, merge, counts, export, supervisors."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from jianfu.clues.model import PENDING, REFERRED, TRUE
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from
from jianfu_widgets.clues import ALL, ClueBoard


@pytest.fixture
def clue_store(tmp_path):
    store = ClueStore(f"sqlite:///{tmp_path / 'clues.sqlite'}")
    yield store
    store.engine.dispose()


def add(
    store, category="督检考", unit="县督查室", what="要求每村提供二十张照片", day=None, code=""
):
    form = {"category": category, "imposed_by": unit, "what": what}
    return store.submit(report_from(form), code, today=day or date(2026, 11, 3))


@pytest.fixture
def board(clue_store):
    add(clue_store, day=date(2026, 10, 1))
    add(clue_store, "文件", "市教育局", '=HYPERLINK("http://x","点我")')
    add(clue_store, "会议", "", "<b>会议</b>一周开了四次")
    return ClueBoard(clue_store)


def ids(board):
    return [c.id for c in board.shown]


@pytest.mark.parametrize(
    "control, value, expected",
    [
        ("status", PENDING, [3, 2, 1]),
        ("category", "文件", [2]),
        ("unit", "督查", [1]),
        ("since", date(2026, 11, 1), [3, 2]),
        ("until", date(2026, 10, 31), [1]),
    ],
)
def test_filters(board, control, value, expected):
    getattr(board, control).value = value
    assert ids(board) == expected


def test_the_list_escapes_what_reporters_wrote(board):
    assert "&lt;b&gt;会议&lt;/b&gt;" in board.list_html.value
    assert "<b>会议</b>" not in board.list_html.value


def test_a_status_change_needs_a_note_and_is_recorded(board, clue_store):
    board.picker.value = 1
    board.next_status.value = TRUE
    board.change_button.click()
    assert "请填写处理说明" in board.message.value
    assert clue_store.clue(1).status == PENDING
    board.note.value = "电话核实，属实"
    board.change_button.click()
    assert clue_store.clue(1).status == TRUE
    assert "电话核实，属实" in board.detail_html.value
    assert REFERRED in board.next_status.options
    board.next_status.value = REFERRED
    board.note.value = "转县委办"
    board.change_button.click()
    assert "转给哪个单位" in board.message.value
    board.referred_to.value = "县委办公室"
    board.change_button.click()
    assert clue_store.clue(1).referred_to == "县委办公室"
    board.status.value = ALL
    assert board.picker.value == 1


def test_a_fresh_board_offers_the_first_next_status(board, clue_store):
    board.note.value = "核实属实"
    board.change_button.click()
    assert clue_store.clue(3).status == TRUE
    assert board.next_status.value == board.next_status.options[0]


def test_reply_and_measures_are_saved(board, clue_store):
    board.picker.value = 2
    board.reply.value = "已转市教育局核查"
    board.reply_button.click()
    board.measures.value = "取消重复填报"
    board.measures_button.click()
    assert (clue_store.clue(2).reply, clue_store.clue(2).measures) == (
        "已转市教育局核查",
        "取消重复填报",
    )


def test_merge_takes_the_duplicate_off_the_list(board, clue_store):
    board.picker.value = 3
    board.merge_into.value = 1
    board.merge_button.click()
    assert ids(board) == [2, 1] and clue_store.clue(3).merged_into == 1
    board.merged.value = True
    assert ids(board) == [3, 2, 1]


def test_counts_by_category_unit_and_month(board):
    shown = board.counts_html.value
    for said in ("按类别", "按涉及单位", "按月份", "督检考", "（未写明）", "2026年10月"):
        assert said in shown


def test_export_is_formula_safe(board):
    board.export_button.click()
    href = re.search(r'href="data:[^;]*;base64,([^"]+)"', board.download.children[0].value)
    sheet = load_workbook(io.BytesIO(base64.b64decode(href.group(1)))).active
    header = [c.value for c in sheet[1]]
    assert "反映内容" in header and "可联系" not in " ".join(header)
    contents = [
        row[header.index("反映内容")] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert '\'=HYPERLINK("http://x","点我")' in contents


def test_a_supervisor_code_is_shown_once_and_filters_the_board(board, clue_store):
    board.issue_button.click()
    code = board.last_code
    assert code in board.message.value and "只显示这一次" in board.message.value
    add(clue_store, code=code)
    board.refresh()
    board.supervisor.value = "监督员1"
    assert ids(board) == [4]
    assert "监督员1" in board.list_html.value


def test_the_notice_is_drafted_for_a_period_or_refused_in_chinese(board, clue_store):
    board.period.value = "2026年"
    board.notice_button.click()
    assert "没有核实属实的问题线索" in board.message.value and not board.notice_download.children
    clue_store.change_status(1, TRUE, "核实")
    board.notice_button.click()
    link = board.notice_download.children[0].value
    assert "2026年典型问题通报（初稿）.docx" in link
    data = base64.b64decode(re.search(r"base64,([^\"]+)", link).group(1))
    assert Document(io.BytesIO(data)).paragraphs[0].text.startswith("关于2026年")
    board.period.value = "去年"
    board.notice_button.click()
    assert "无法识别" in board.message.value


def test_counts_per_supervisor_and_a_withdrawn_code(board, clue_store):
    board.issue_button.click()
    code = board.last_code
    add(clue_store, code=code)
    board.refresh()
    assert "按监督员" in board.counts_html.value
    board.withdraw_choice.value = 1
    board.withdraw_button.click()
    assert "监督员1的编码已停用" in board.message.value
    assert board.withdraw_choice.options == ()
    add(clue_store, code=code)
    board.refresh()
    assert [c.supervisor for c in board.shown].count(1) == 1
