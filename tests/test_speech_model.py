"""The draft model and its numbering: 一、（一）1.（1） and 一是 stay right after edits."""

from __future__ import annotations

import pytest

from jianfu.errors import JianfuError
from jianfu.speech.model import Draft, Paragraph, Section
from jianfu.speech.numbering import chinese_number, parse_chinese_number, strip_marker
from jianfu.speech.render import blocks, char_count, fmt_minutes, length, to_markdown, to_text


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五")]
)
def test_chinese_numbers_both_ways(n, text):
    assert chinese_number(n) == text
    assert parse_chinese_number(text) == n


@pytest.mark.parametrize(
    ("text", "kind", "clean"),
    [
        ("二是加强统筹", "point", "加强统筹"),
        ("三是，加强统筹", "point", "加强统筹"),
        ("（三）加强统筹", "heading2", "加强统筹"),
        ("(3)加强统筹", "heading4", "加强统筹"),
        ("2. 加强统筹", "heading3", "加强统筹"),
        ("四、下步打算", "section", "下步打算"),
        # text that only looks like a marker stays
        ("第一书记驻村", "point", "第一书记驻村"),
        ("2024年发文", "heading3", "2024年发文"),
    ],
)
def test_typed_markers_are_stripped(text, kind, clean):
    assert strip_marker(text, kind) == clean


def _draft() -> Draft:
    return Draft(
        title="标题",
        sections=[
            Section("", numbered=False, paragraphs=[Paragraph("开头。")]),
            Section(
                "认识体会",
                paragraphs=[Paragraph("甲。", "point", "一"), Paragraph("乙。", "point")],
            ),
            Section(
                "主要做法",
                paragraphs=[
                    Paragraph("精简文件", "heading2"),
                    Paragraph("A。", "point"),
                    Paragraph("B。", "point"),
                    Paragraph("压减会议", "heading2"),
                    Paragraph("细项", "heading3"),
                    Paragraph("更细", "heading4"),
                    Paragraph("C。", "point"),
                ],
            ),
        ],
    )


def _numbers(draft: Draft) -> list[str]:
    return [b.text for b in blocks(draft) if b.kind != "title"]


def test_numbering_of_every_level():
    assert _numbers(_draft()) == [
        "开头。",
        "一、认识体会",
        "一是一。甲。",
        "二是乙。",
        "二、主要做法",
        "（一）精简文件",
        "一是A。",
        "二是B。",
        "（二）压减会议",
        "1.细项",
        "（1）更细",
        "一是C。",
    ]


def test_numbering_stays_right_after_add_remove_and_move():
    draft = _draft()
    understanding, practice = draft.sections[1], draft.sections[2]
    first = understanding.paragraphs[0].id
    new = draft.add_paragraph(understanding.id, "丙。", "point", after=first)
    assert _numbers(draft)[2:5] == ["一是一。甲。", "二是丙。", "三是乙。"]
    draft.move_paragraph(new.id, 1)
    assert _numbers(draft)[2:5] == ["一是一。甲。", "二是乙。", "三是丙。"]
    draft.remove_paragraph(first)
    assert _numbers(draft)[2:4] == ["一是乙。", "二是丙。"]
    # sections renumber when moved; a removed section takes its number with it
    draft.move_section(practice.id, -1)
    assert [b.text for b in blocks(draft) if b.kind == "heading1"] == [
        "一、主要做法",
        "二、认识体会",
    ]
    draft.remove_section(understanding.id)
    assert [b.text for b in blocks(draft) if b.kind == "heading1"] == ["一、主要做法"]
    # a point turned into a heading restarts the count below it
    b_id = practice.paragraphs[2].id
    draft.set_kind(b_id, "heading2")
    assert [b.text for b in blocks(draft) if b.paragraph_id == b_id] == ["（二）B。"]


def test_moving_past_the_edge_joins_the_next_section():
    draft = _draft()
    last = draft.sections[1].paragraphs[-1]
    draft.move_paragraph(last.id, 1)
    assert draft.section_of(last.id) is draft.sections[2]
    assert draft.sections[2].paragraphs[0] is last


def test_typed_number_is_not_doubled():
    draft = _draft()
    pid = draft.sections[1].paragraphs[1].id
    draft.set_text(pid, "五是把文件管住。")
    assert draft.paragraph(pid).text == "把文件管住。"
    assert "二是把文件管住。" in _numbers(draft)


def test_round_trip_through_dict_and_copy():
    draft = _draft()
    again = Draft.from_dict(draft.to_dict())
    assert _numbers(again) == _numbers(draft) and again.id == draft.id
    clone = draft.copy()
    assert clone.id != draft.id and _numbers(clone) == _numbers(draft)
    clone.sections[1].paragraphs[0].text = "改了"
    assert draft.sections[1].paragraphs[0].text == "甲。"


def test_bad_kind_and_missing_paragraph_are_chinese_errors():
    with pytest.raises(JianfuError, match="段落类型"):
        Paragraph("x", "bullet")
    with pytest.raises(JianfuError, match="找不到"):
        _draft().set_text("nope", "x")


def test_count_and_time():
    draft = _draft()
    # title is not read out; punctuation is not spoken
    assert char_count(draft) == sum(
        sum(ch.isalnum() for ch in b.text) for b in blocks(draft) if b.kind != "title"
    )
    draft.rate = 220
    draft.limit_minutes = 8
    draft.sections[0].paragraphs[0].text = "字" * 2200
    size = length(draft)
    assert size.minutes > 10 and size.over and size.share > 1.25
    assert fmt_minutes(7.6) == "7分36秒" and fmt_minutes(0.5) == "30秒"


def test_text_and_markdown_keep_user_text_literal():
    draft = _draft()
    draft.sections[0].paragraphs[0].text = "# 不是标题 *也不是强调*"
    md = to_markdown(draft)
    assert "\\# 不是标题 \\*也不是强调\\*" in md
    assert "**一是一**。甲。" in md  # the full stop sits outside the bold (CommonMark)
    assert to_text(draft).splitlines()[2] == "\u3000\u3000一、认识体会"
