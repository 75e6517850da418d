"""The 通报 draft (公文 .docx, anonymised, by category, with measures) and `jianfu clues`."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from jianfu.cli import main
from jianfu.clues.model import PARTLY, RECTIFIED, REFERRED, TRUE, UNTRUE, ClueError
from jianfu.clues.notice import ASK_WORDING, MASK, anonymised, notice_docx, notice_draft
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from
from jianfu.speech.render import blocks
from jianfu.speech.sources import TO_FILL, provenance
from jianfu.text.periods import period_dates

DAY = date(2026, 11, 3)
MEASURE = "督查中要求每村提供二十张现场照片，已取消照片要求（督查室电话0755-88886666）"
TODAY = date(2026, 12, 6)


@pytest.fixture
def clue_store(data_dir):
    store = ClueStore()
    cases = [
        ("督检考", "县督查室", "检查要求每村提供二十张照片，联系13812345678", TRUE, MEASURE),
        ("报表台账", "市统计局", "同一张表一个月报三次", PARTLY, ""),
        ("督检考", "县农业局", "一周两次检查", TRUE, "合并检查"),
        ("会议", "县委办", "每周开会四次以上", UNTRUE, ""),
        ("文件", "", "文件篇幅超过万字", None, ""),
    ]
    for category, unit, what, finding, measures in cases:
        store.submit(
            report_from({"category": category, "imposed_by": unit, "what": what}), today=DAY
        )
        clue_id = max(c.id for c in store.clues())
        if finding:
            store.change_status(clue_id, finding, "核实", today=DAY)
        if measures:
            store.set_measures(clue_id, measures)
    store.change_status(2, REFERRED, "转办", "市统计局", today=DAY)
    store.change_status(3, RECTIFIED, "已整改", today=DAY)
    store.submit(
        report_from({"category": "督检考", "what": "去年的照片要求"}), today=date(2025, 5, 1)
    )
    yield store
    store.engine.dispose()


@pytest.mark.parametrize(
    "label, said, first, last",
    [
        ("2026", "2026年", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026年上半年", "2026年上半年", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026Q4", "2026年第四季度", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026年第一季度", "2026年第一季度", date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-2", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
    ],
)
def test_period_dates(label, said, first, last):
    assert period_dates(label) == (said, first, last)


@pytest.mark.parametrize("label", ["去年", "2026年13月", "", "第四季度"])
def test_unknown_periods_are_none(label):
    assert period_dates(label) is None


def test_contact_details_are_masked():
    text = anonymised(
        "请打13812345678或 0755-88886666，邮箱 a.b@x.com，身份证11010119900101123X；报了3次"
    )
    assert "138" not in text and "@" not in text and "11010119900101123X" not in text
    assert text.count(MASK) == 4 and "报了3次" in text


def test_the_notice_counts_groups_and_says_what_was_done(clue_store):
    draft = notice_draft(clue_store.clues(merged=True), "2026年第四季度", "某县减负办", TODAY)
    text = "\n".join(b.text for b in blocks(draft))
    assert draft.title == "关于2026年第四季度形式主义官僚主义典型问题的通报"
    assert "共收到反映形式主义、官僚主义问题线索5条，经核实属实或部分属实3条" in text
    # by category in the catalog's order; only verified ones; the untrue and unverified not
    assert text.index("（一）督检考方面") < text.index("（二）报表台账方面")
    assert (
        "每周开会四次以上" not in text
        and "文件篇幅超过万字" not in text
        and "去年的照片" not in text
    )
    assert "一是经核实，反映的问题属实。督查中要求每村提供二十张现场照片，已取消照片要求" in text
    assert "合并检查。" in text
    assert f"{TO_FILL}{ASK_WORDING}（目前已转市统计局办理）" in text
    assert "88886666" not in text and MASK in text  # masked in the office's words too
    # nothing the reporters wrote: not their accounts, not the units they named
    for theirs in ("检查要求每村提供二十张照片", "13812345678", "一个月报三次", "一周两次检查"):
        assert theirs not in text
    assert "县督查室" not in text and "县农业局" not in text
    assert draft.date == "2026年12月6日" and draft.signature == "某县减负办"
    for _, paragraph in draft.paragraphs():
        if paragraph.kind == "point":
            labels = {
                line.label
                for line in provenance(paragraph.topic, paragraph.text, paragraph.sources)
            }
            assert labels <= {"问题线索", "待补充"} and "问题线索" in labels


@pytest.mark.parametrize("period, message", [("2025年", "没有核实属实"), ("明年", "无法识别")])
def test_no_notice_without_verified_clues(clue_store, period, message):
    with pytest.raises(ClueError, match=message):
        notice_draft(clue_store.clues(), period)


def _east_asian(run) -> str:
    return run.element.rPr.rFonts.get(qn("w:eastAsia"))


def test_the_notice_docx_is_in_official_layout(clue_store):
    """GB/T 9704-2012 as tests/test_speech_export.py checks it for speeches."""
    doc = Document(io.BytesIO(notice_docx(clue_store.clues(), "2026年", "某县减负办", TODAY)))
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [m.twips for m in margins] == [2098, 1984, 1588, 1474]
    assert section._sectPr.find(qn("w:docGrid")).get(qn("w:linePitch")) == "560"
    title = doc.paragraphs[0]
    assert title.runs[0].font.size.pt == 22 and _east_asian(title.runs[0]) == "方正小标宋简体"
    heading = next(p for p in doc.paragraphs if p.text.startswith("一、典型问题"))
    assert _east_asian(heading.runs[0]) == "黑体"
    sub = next(p for p in doc.paragraphs if p.text.startswith("（一）督检考方面"))
    assert _east_asian(sub.runs[0]) == "楷体_GB2312"
    body = next(p for p in doc.paragraphs if p.text.startswith("一是经核实，反映的问题属实。"))
    assert {r.font.size.pt for r in body.runs} == {16}
    assert {_east_asian(r) for r in body.runs} == {"仿宋_GB2312"}
    assert doc.styles["Normal"].paragraph_format.first_line_indent.pt == 32
    date_line = doc.paragraphs[-1]
    assert date_line.text == "2026年12月6日" and date_line.alignment == 2
    assert doc.paragraphs[-2].text == "某县减负办" and doc.paragraphs[-2].alignment == 2
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and "PAGE" in footer._p.xml
    assert "13812345678" not in "\n".join(p.text for p in doc.paragraphs)


@pytest.mark.slow
def test_libreoffice_lays_the_notice_out_in_28_character_lines(clue_store, tmp_path):
    from test_speech_layout import LEFT, RIGHT, needs_office, pdf_lines, render

    if needs_office.args[0]:
        pytest.skip(needs_office.kwargs["reason"])
    for n in range(12):  # enough text for full lines
        clue_store.submit(
            report_from(
                {
                    "category": "督检考",
                    "imposed_by": "县督查室",
                    "what": "检查要求每个村都要提供二十张现场照片和三套台账并且当天报送" * 2,
                }
            ),
            today=DAY,
        )
        clue_store.change_status(7 + n, TRUE, "核实", today=DAY)
        clue_store.set_measures(7 + n, "督查检查要求每个村都要提供二十张现场照片和三套台账" * 2)
    pages = pdf_lines(
        render(notice_docx(clue_store.clues(), "2026年", "某县减负办", TODAY), tmp_path)
    )
    full = [
        len(text)
        for page in pages
        for x0, x1, text in page[:-1]
        if abs(x0 - LEFT) < 3 and abs(x1 - RIGHT) < 6 and not any(c.isascii() for c in text)
    ]
    assert full and Counter(full).most_common(1)[0][0] == 28


def test_cli_lists_exports_and_drafts_the_notice(clue_store, tmp_path, capsys):
    assert main(["clues", "list", "--status", TRUE]) == 0
    assert "一周两次检查" not in capsys.readouterr().out  # 已整改 now
    assert main(["clues", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in listed][:2] == [5, 4] and "contact" not in listed[0]
    sheet = tmp_path / "线索.xlsx"
    assert main(["clues", "export", str(sheet)]) == 0
    assert "已导出问题线索6条" in capsys.readouterr().out
    assert load_workbook(sheet).active.max_row == 7
    out = tmp_path / "通报.docx"
    assert (
        main(
            [
                "clues",
                "notice",
                "--period",
                "2026年11月",
                "--out",
                str(out),
                "--office",
                "某县减负办",
            ]
        )
        == 0
    )
    assert "已写出通报初稿" in capsys.readouterr().out
    assert Document(str(out)).paragraphs[0].text.startswith("关于2026年11月")
    assert main(["clues", "notice", "--period", "2025年", "--out", str(out)]) == 2
    assert "2025年没有核实属实的问题线索" in capsys.readouterr().err
    assert main(["clues", "export", str(tmp_path / "x.csv")]) == 2
