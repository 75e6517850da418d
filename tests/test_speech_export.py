"""Exports: the Word file read back with python-docx (公文 layout), text, Markdown, OpenCC."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from jianfu.errors import JianfuError
from jianfu.speech.documents import export_draft, file_name, write_draft
from jianfu.speech.model import Draft, Paragraph, Section
from jianfu.speech.script import convert
from jianfu.speech.word import CHARS_PER_LINE, char_spacing

SENTENCE = "为基层减负，发文数量由46件减少到31件，台账和视频会议都减少了。"


def _draft(**kw) -> Draft:
    kw.setdefault("title", "减负减出好作风")
    return Draft(
        subtitle="——在研讨会上的交流发言",
        speaker="张三",
        unit="示例县",
        signature="示例县",
        date="2024年8月6日",
        sections=[
            Section("", numbered=False, paragraphs=[Paragraph("开头一句。")]),
            Section(
                "主要做法",
                paragraphs=[
                    Paragraph("精简文件", "heading2"),
                    Paragraph(SENTENCE, "point", "严控发文"),
                    Paragraph("细则", "heading3"),
                    Paragraph("更细", "heading4"),
                ],
            ),
        ],
        **kw,
    )


def _doc(draft: Draft):
    return Document(io.BytesIO(export_draft(draft, ".docx").data))


def _east_asian(run) -> str:
    return run.element.rPr.rFonts.get(qn("w:eastAsia"))


def _by_text(doc, start: str):
    return next(p for p in doc.paragraphs if p.text.startswith(start))


def test_page_is_a4_with_official_margins_and_grid():
    doc = _doc(_draft())
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [m.twips for m in margins] == [2098, 1984, 1588, 1474]
    # text block 156 mm wide, 225 mm high (1 mm = 56.7 twips)
    assert round((11906 - 1588 - 1474) / 56.7) == 156
    assert round((16838 - 2098 - 1984) / 56.7) == 190 + 35  # 225
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "560"
    # 28 characters of 16 pt (320 twips) condensed by the style's spacing fill the line; 29 do not
    spacing = doc.styles["Normal"].element.rPr.find(qn("w:spacing"))
    assert int(spacing.get(qn("w:val"))) == char_spacing() == -5
    width = 11906 - 1588 - 1474
    assert CHARS_PER_LINE * (320 - 5) <= width < (CHARS_PER_LINE + 1) * (320 - 5)
    for level in range(1, 5):  # headings are 3号 too
        rpr = doc.styles[f"Heading {level}"].element.rPr
        assert rpr.find(qn("w:spacing")).get(qn("w:val")) == "-5"
    lang = doc.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"


def test_fonts_sizes_and_line_spacing():
    doc = _doc(_draft())
    title = doc.paragraphs[0]
    assert title.text == "减负减出好作风"
    assert title.style.paragraph_format.alignment == 1  # centred (by the title style)
    assert title.runs[0].font.size.pt == 22
    assert _east_asian(title.runs[0]) == "方正小标宋简体"
    body = _by_text(doc, "一是严控发文")
    assert [r.font.size.pt for r in body.runs] == [16, 16]
    assert {_east_asian(r) for r in body.runs} == {"仿宋_GB2312"}
    assert body.runs[0].text == "一是严控发文。" and body.runs[0].font.bold
    normal = doc.styles["Normal"].paragraph_format
    assert normal.line_spacing.twips == 560 and normal.line_spacing_rule == 4  # EXACTLY
    assert normal.first_line_indent.pt == 32  # two characters of 16 pt
    style_fonts = doc.styles["Normal"].element.rPr.rFonts
    assert style_fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"


@pytest.mark.parametrize(
    ("start", "font", "style"),
    [
        ("一、主要做法", "黑体", "Heading 1"),
        ("（一）精简文件", "楷体_GB2312", "Heading 2"),
        ("1.细则", "仿宋_GB2312", "Heading 3"),
        ("（1）更细", "仿宋_GB2312", "Heading 4"),
    ],
)
def test_heading_fonts(start, font, style):
    paragraph = _by_text(_doc(_draft()), start)
    assert paragraph.style.name == style
    assert _east_asian(paragraph.runs[0]) == font and paragraph.runs[0].font.size.pt == 16
    assert not paragraph.runs[0].font.bold


def test_page_numbers_odd_right_even_left():
    doc = _doc(_draft())
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    for footer, align in ((section.footer, 2), (section.even_page_footer, 0)):  # RIGHT, LEFT
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align
        xml = paragraph._p.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert {r.font.size.pt for r in paragraph.runs} == {14}
        assert {_east_asian(r) for r in paragraph.runs} == {"宋体"}
    assert section.footer_distance.twips == 1134


def test_fallback_fonts_are_named_and_common_scheme_works():
    data = export_draft(_draft(), ".docx").data
    import zipfile

    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode("utf-8")
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:val="仿宋"' in fonts
    common = _doc(_draft(font_scheme="common"))
    assert _east_asian(common.paragraphs[0].runs[0]) == "宋体"
    assert _east_asian(_by_text(common, "一是").runs[0]) == "仿宋"


def test_signature_and_date_are_right_aligned():
    doc = _doc(_draft())
    date = doc.paragraphs[-1]
    assert date.text == "2024年8月6日" and date.alignment == 2


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("s2t", "爲基層減負，發文數量由46件減少到31件，臺賬和視頻會議都減少了。"),
        ("s2tw", "為基層減負，發文數量由46件減少到31件，臺賬和視頻會議都減少了。"),
        ("s2hk", "為基層減負，發文數量由46件減少到31件，台賬和視頻會議都減少了。"),
        ("", SENTENCE),
    ],
)
def test_opencc_known_sentence(script, expected):
    assert convert(SENTENCE, script) == expected


def test_traditional_reaches_every_format():
    draft = _draft(script="s2tw")
    doc = _doc(draft)
    assert _by_text(doc, "一是嚴控發文").text.endswith(convert(SENTENCE, "s2tw"))
    assert "減負減出好作風" in export_draft(draft, ".md").data.decode("utf-8")
    assert "減負減出好作風" in export_draft(draft, ".txt").data.decode("utf-8")
    assert "减负减出好作风" in export_draft(draft, ".txt", script="").data.decode("utf-8")
    with pytest.raises(JianfuError, match="繁体转换方式"):
        convert("x", "t2s")


def test_text_and_markdown_files(tmp_path):
    draft = _draft()
    text = write_draft(draft, tmp_path / "稿.txt").read_text("utf-8").splitlines()
    assert text[:3] == ["减负减出好作风", "——在研讨会上的交流发言", "张三"]
    assert "\u3000\u3000一是严控发文。" + SENTENCE in text
    md = write_draft(draft, tmp_path / "稿.md").read_text("utf-8")
    assert (
        md.startswith("# 减负减出好作风") and "## 一、主要做法" in md and "### （一）精简文件" in md
    )
    with pytest.raises(JianfuError, match="不支持的文件类型"):
        export_draft(draft, ".pdf")


def test_file_name_is_safe():
    assert file_name(_draft(title='a/b:c*"d 标题'), ".docx") == "a_b_c_d_标题.docx"
    assert file_name(_draft(title=""), ".md") == "发言稿.md"


def test_an_addressee_stands_flush_left_in_every_format():
    """主送机关 (各有关单位：) is not indented like body text (GB/T 9704), in any export."""
    from jianfu.speech.render import to_html, to_markdown, to_text

    draft = Draft(
        genre="通知",
        title="关于报送数据的通知",
        unit="示例县",
        sections=[
            Section(
                title="",
                numbered=False,
                paragraphs=[
                    Paragraph(text="各有关单位：", kind="addressee"),
                    Paragraph(text="请于月底前报送。"),
                ],
            )
        ],
    )
    assert "\n各有关单位：\n\u3000\u3000请于月底前报送。" in to_text(draft)
    assert "\n\n各有关单位：\n\n请于月底前报送。" in to_markdown(draft)
    assert 'class="jf-draft-addressee"' in to_html(draft)
