"""The draft as a Word file in 公文 layout (GB/T 9704-2012), written with python-docx.

A4; margins 37 mm top, 28 mm left, text block 156 × 225 mm; 22 lines of 28
characters: fixed 28 pt lines on a line grid, and characters condensed by a
quarter point (:func:`char_spacing`) so that 28 3号 characters fill the 156 mm
line. A character grid (docGrid ``linesAndChars`` with a negative charSpace)
would do that in Word, but LibreOffice, on many 信创 desktops beside WPS, gives
every character wider than its grid cell two cells: 14 characters a line. Run
spacing is honoured by Word, WPS and LibreOffice alike. Title 2号 (22 pt) 小标宋 centred,
split into lines by meaning (titles.py);
body 3号 (16 pt) 仿宋 with a two-character first-line indent; 一、 in 黑体, （一） in
楷体, 1. and （1） in 仿宋; page numbers “— 1 —” in 4号 宋体, odd pages right, even
pages left. East Asian font names go on the w:eastAsia slot, or Word would use
another font.

The official fonts (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312) are often missing on
office PCs: the file names fallbacks in its font table (Word substitutes them),
and the ``common`` scheme uses the fonts every Windows has (宋体, 仿宋, 楷体, 黑体).
"""

from __future__ import annotations

import io
import math

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

from ..text.characters import clean_text
from .figures import figures_note
from .fonts import FALLBACKS, FONT_ENGLISH, FONT_SCHEMES, FontScheme
from .model import Draft
from .render import Block, blocks
from .script import convert
from .titles import title_lines

# page geometry in twips (1/1440 inch; 1 mm ≈ 56.7)
PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838
MARGINS = {"top": 2098, "bottom": 1984, "left": 1588, "right": 1474}
FOOTER_DISTANCE = 1134  # page number about 20 mm above the paper's edge
LINE = 560  # 28 pt: 22 lines fill the 225 mm text block
CHARS_PER_LINE = 28
BODY_PT, TITLE_PT, PAGE_NUMBER_PT = 16, 22, 14
TITLE_LINE = 700  # 35 pt fixed lines for the 22 pt title
TEXT_WIDTH = PAGE_WIDTH - MARGINS["left"] - MARGINS["right"]
TITLE_CHARS = TEXT_WIDTH // (TITLE_PT * 20)  # 2号 characters a title line holds (20)
LANGUAGE = "zh-CN"  # so fallback fonts are chosen for Simplified Chinese


def char_spacing(text_width: int = TEXT_WIDTH, size_pt: int = BODY_PT) -> int:
    """w:spacing (twips) that fits exactly 28 characters of ``size_pt`` on a line: -5 for 3号.

    The largest spacing with 28 characters fitting (28 × 15.75 pt = 441 pt of the
    442.2 pt line); a 29th does not (456.75 pt).
    """
    return math.floor(text_width / CHARS_PER_LINE - size_pt * 20)


def draft_docx(draft: Draft, script: str | None = None) -> bytes:
    """The draft as .docx bytes, converted to Traditional Chinese if ``script`` is set."""
    scheme = FONT_SCHEMES.get(draft.font_scheme, FONT_SCHEMES["official"])
    doc = Document()
    _page_setup(doc)
    _styles(doc, scheme)
    _font_table(doc, scheme)
    script = draft.script if script is None else script
    previous = None
    for block in blocks(draft):
        if block.kind == "signature" or (block.kind == "date" and previous != "signature"):
            _spacer(doc)
        _paragraph(doc, block, scheme, script, keep=(draft.unit,))
        previous = block.kind
    _page_numbers(doc, scheme)
    _properties(doc, draft)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _properties(doc, draft: Draft) -> None:
    """File properties: title, genre, and (备注) which precision the figures follow."""
    props = doc.core_properties
    props.title = clean_text(draft.title, lines=False)[:255]
    props.subject = clean_text(draft.genre, lines=False)
    props.comments = clean_text(
        f"{figures_note(draft)}；数据：{draft.unit}，{draft.before}—{draft.after}"
    )
    props.author = "基层减负工作簿"


# ---- page and styles -------------------------------------------------------


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGINS["top"]), Twips(MARGINS["bottom"])
    section.left_margin, section.right_margin = Twips(MARGINS["left"]), Twips(MARGINS["right"])
    section.footer_distance = Twips(FOOTER_DISTANCE)
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    grid.set(qn("w:type"), "lines")  # a line grid; 28 characters by run spacing (see above)
    grid.set(qn("w:linePitch"), str(LINE))
    grid.attrib.pop(qn("w:charSpace"), None)
    doc.settings.odd_and_even_pages_header_footer = True


def _styles(doc, scheme: FontScheme) -> None:
    normal = doc.styles["Normal"]
    _style_font(normal, scheme.body, BODY_PT)
    _condensed(normal)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Twips(LINE)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(BODY_PT * 2)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False
    fonts = {1: scheme.heading1, 2: scheme.heading2, 3: scheme.body, 4: scheme.body}
    for level, font in fonts.items():
        style = doc.styles[f"Heading {level}"]
        _style_font(style, font, BODY_PT)
        _condensed(style)
        style.font.bold = False
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        pf = style.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Twips(LINE)
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = Pt(BODY_PT * 2)
        pf.keep_with_next = True
    title = doc.styles.add_style("公文标题", WD_STYLE_TYPE.PARAGRAPH)
    title.base_style = normal
    _style_font(title, scheme.title, TITLE_PT)
    title.font.bold = scheme.title_bold
    _condensed(title, 0)  # a centred title keeps its full width
    tf = title.paragraph_format
    tf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tf.first_line_indent = Pt(0)
    tf.line_spacing = Twips(TITLE_LINE)


def _style_font(style, name: str, size: int) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    _east_asian(style.element.get_or_add_rPr(), name)


_AFTER_SPACING = ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
                  "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
                  "w:eastAsianLayout", "w:specVanish", "w:oMath")  # fmt: skip
_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


def _condensed(style, spacing: int | None = None) -> None:
    """Character spacing for 28 characters a line, and the Chinese language tag."""
    r_pr = style.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:lang"):
        old = r_pr.find(qn(tag))
        if old is not None:
            r_pr.remove(old)
    value = char_spacing() if spacing is None else spacing
    if value:
        element = OxmlElement("w:spacing")
        element.set(qn("w:val"), str(value))
        r_pr.insert_element_before(element, *_AFTER_SPACING)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:eastAsia"), LANGUAGE)
    r_pr.insert_element_before(lang, *_AFTER_LANG)


def _east_asian(r_pr, name: str) -> None:
    """All four font slots, East Asian included (Word ignores font.name for hanzi)."""
    fonts = r_pr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _font_table(doc, scheme: FontScheme) -> None:
    """Name a fallback for each official font, so Word substitutes a close one."""
    part = next(
        (p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"),
        None,
    )
    if part is None:
        return
    root = etree.fromstring(part.blob)
    used = {scheme.title, scheme.body, scheme.heading1, scheme.heading2, scheme.page}
    for name in sorted(used):
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        alt = FALLBACKS.get(name) or FONT_ENGLISH.get(name)
        if alt:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        etree.SubElement(font, qn("w:charset")).set(qn("w:val"), "86")  # GB2312
        etree.SubElement(font, qn("w:family")).set(qn("w:val"), "modern")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---- paragraphs ------------------------------------------------------------

_STYLE = {
    "title": "公文标题",
    "heading1": "Heading 1",
    "heading2": "Heading 2",
    "heading3": "Heading 3",
    "heading4": "Heading 4",
}


def _paragraph(
    doc, block: Block, scheme: FontScheme, script: str | None, keep: tuple[str, ...] = ()
) -> None:
    paragraph = doc.add_paragraph(style=_STYLE.get(block.kind, "Normal"))
    fmt = paragraph.paragraph_format
    font, size = _font_of(block.kind, scheme)
    if block.kind in ("subtitle", "byline"):
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.first_line_indent = Pt(0)
    elif block.kind == "addressee":  # 主送机关 顶格
        fmt.first_line_indent = Pt(0)
    elif block.kind in ("signature", "date"):
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        fmt.first_line_indent = Pt(0)
        fmt.right_indent = Pt(BODY_PT * 4)  # 右空四字
    if block.kind == "title":
        fmt.space_after = Twips(LINE)  # one empty line under the title
    if block.kind in ("title", "subtitle"):
        _title_runs(paragraph, block, font, size, scheme, script, keep)
        return
    rest = block.text[len(block.lead) :] if block.lead else block.text
    if block.lead:  # cleaned here: Word cannot hold every character a saved draft may
        _run(paragraph, convert(clean_text(block.lead), script), font, size, bold=True)
    _run(
        paragraph,
        convert(clean_text(rest), script),
        font,
        size,
        bold=block.kind == "title" and scheme.title_bold,
    )


def _title_runs(paragraph, block: Block, font, size, scheme, script, keep) -> None:
    """Title lines broken by meaning, each line a run, with line breaks between them."""
    per_line = TITLE_CHARS if block.kind == "title" else CHARS_PER_LINE
    bold = block.kind == "title" and scheme.title_bold
    for i, line in enumerate(title_lines(clean_text(block.text), per_line, keep)):
        run = _run(paragraph, "", font, size, bold=bold)
        if i:
            run.add_break()
        run.add_text(convert(line, script))


def _font_of(kind: str, scheme: FontScheme) -> tuple[str, int]:
    return {
        "title": (scheme.title, TITLE_PT),
        "subtitle": (scheme.heading2, BODY_PT),
        "byline": (scheme.heading2, BODY_PT),
        "heading1": (scheme.heading1, BODY_PT),
        "heading2": (scheme.heading2, BODY_PT),
    }.get(kind, (scheme.body, BODY_PT))


def _run(paragraph, text: str, font: str, size: int, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    _east_asian(run._element.get_or_add_rPr(), font)
    return run


def _spacer(doc) -> None:
    doc.add_paragraph(style="Normal")


# ---- page numbers ----------------------------------------------------------


def _page_numbers(doc, scheme: FontScheme) -> None:
    """“— 1 —” in 4号 宋体: odd pages right, even pages left, one character in."""
    section = doc.sections[0]
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        fmt = paragraph.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(0)
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            fmt.right_indent = Pt(PAGE_NUMBER_PT)
        else:
            fmt.left_indent = Pt(PAGE_NUMBER_PT)
        _run(paragraph, "— ", scheme.page, PAGE_NUMBER_PT)
        _page_field(paragraph, scheme.page)
        _run(paragraph, " —", scheme.page, PAGE_NUMBER_PT)


def _page_field(paragraph, font: str) -> None:
    """A PAGE field: begin, instruction, separate, a placeholder result, end."""
    parts = [("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)]
    for char_type, text in parts:
        run = _run(paragraph, "", font, PAGE_NUMBER_PT)
        if char_type:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), char_type)
            run._element.append(element)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text
