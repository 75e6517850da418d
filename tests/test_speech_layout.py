"""The Word file renders at 公文 density outside Word too (issue 17, item 21).

The .docx is rendered by LibreOffice (the office suite of many 信创 desktops beside
WPS) to PDF, and the PDF read back line by line: 28 字/行 and 22 行/页 (±1), title
lines split by meaning, never one character alone. Debian's fonts-noto-cjk stand
in for the official fonts, as they would on such a desktop.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from collections import Counter

import pytest
from docx import Document

from jianfu.speech.documents import export_draft
from jianfu.speech.model import Draft, Paragraph, Section
from jianfu.speech.titles import title_lines

PT_PER_MM = 72 / 25.4
LEFT, RIGHT = 28 * PT_PER_MM, (210 - 26) * PT_PER_MM  # the 156 mm text block
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)
BODY = (
    "减负不是减责任、降标准，而是把干部从无效劳动中解放出来，让他们把群众的事办好办实。"
    "基层的负担多半来自上面，上级机关先把发文、开会、检查的关口把住，基层才能真正轻装上阵。"
)


# ---- title lines -------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "per_line", "keep", "lines"),
    [
        ("减负减出好作风 松绑松出新干劲", 20, (), ["减负减出好作风 松绑松出新干劲"]),
        ("减负减出好作风 松绑松出新干劲", 14, (), ["减负减出好作风", "松绑松出新干劲"]),
        ("减负减出好作风松绑松出新干劲", 13, (), ["减负减出好作风", "松绑松出新干劲"]),
        (
            "关于示例县城关镇为基层减负工作情况的调研报告",
            20,
            ("示例县城关镇",),
            ["关于示例县城关镇", "为基层减负工作情况的调研报告"],
        ),
        (
            "——示例县公安局城关派出所在为基层减负专题学习研讨会上的交流发言",
            28,
            ("示例县公安局城关派出所",),
            ["——示例县公安局城关派出所", "在为基层减负专题学习研讨会上的交流发言"],
        ),
    ],
)
def test_title_lines_split_by_meaning(title, per_line, keep, lines):
    assert title_lines(title, per_line, keep) == lines


@pytest.mark.parametrize("n", range(21, 44))
def test_no_title_line_is_one_character_alone(n):
    title = ("为基层减负" * 9)[:n]
    lines = title_lines(title, 20)
    assert "".join(lines) == title
    assert all(2 <= len(line) <= 20 for line in lines)


def test_the_word_title_breaks_between_its_lines():
    draft = _draft("关于示例县城关镇为基层减负工作情况的调研报告", paragraphs=1)
    doc = Document(io.BytesIO(export_draft(draft, ".docx").data))
    title = doc.paragraphs[0]
    assert title.text == "关于示例县城关镇\n为基层减负工作情况的调研报告"
    assert title.style.name == "公文标题" and len(title._p.findall(".//w:br", title._p.nsmap)) == 1


# ---- rendered by LibreOffice ---------------------------------------------------


def _draft(title: str, paragraphs: int = 12) -> Draft:
    points = [Paragraph(BODY * 2, "point", "减负是转作风的实招") for _ in range(paragraphs)]
    return Draft(
        title=title,
        subtitle="——示例县城关镇在为基层减负专题学习研讨会上的交流发言",
        unit="示例县城关镇",
        sections=[Section("认识体会", paragraphs=points)],
    )


def pdf_lines(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, each printed line as (left x, right x, text), top to bottom."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = []
    for page in out.split("<page ")[1:]:
        rows: dict[int, list[tuple[float, float, str]]] = {}
        for m in _WORD.finditer(page):
            x0, x1, bottom = float(m.group(1)), float(m.group(3)), round(float(m.group(4)))
            rows.setdefault(bottom, []).append((x0, x1, html.unescape(m.group(5))))
        pages.append(
            [
                (min(w[0] for w in row), max(w[1] for w in row), "".join(w[2] for w in sorted(row)))
                for _, row in sorted(rows.items())
            ]
        )
    return pages


def render(docx: bytes, tmp_path) -> bytes:
    source = tmp_path / "稿.docx"
    source.write_bytes(docx)
    profile = (tmp_path / "lo-profile").as_uri()  # its own profile: runs side by side
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path), str(source)],
        capture_output=True,
        timeout=180,
        check=True,
    )
    return (tmp_path / "稿.pdf").read_bytes()


needs_office = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice 或 poppler-utils 未安装（make system-deps 会安装）",
)


@pytest.mark.slow
@needs_office
def test_libreoffice_lays_the_draft_out_at_28_by_22(tmp_path):
    draft = _draft("关于示例县城关镇为基层减负工作情况的调研报告")
    pages = pdf_lines(render(export_draft(draft, ".docx").data, tmp_path))
    assert len(pages) >= 3
    body = [p[:-1] for p in pages]  # the last line of a page is its number “— 1 —”
    assert all(re.fullmatch(r"—\s*\d+\s*—", p[-1][2]) for p in pages)
    # full lines (margin to margin, hanzi and punctuation only) hold 28 characters
    full = [
        len(text)
        for page in body
        for x0, x1, text in page
        if abs(x0 - LEFT) < 3 and abs(x1 - RIGHT) < 6 and text.isascii() is False
        and not re.search(r"[0-9A-Za-z]", text)
    ]  # fmt: skip
    assert len(full) > 40
    assert Counter(full).most_common(1)[0][0] == 28 and all(27 <= n <= 29 for n in full)
    # whole pages (not the first with its title, not the last) hold 22 lines
    assert all(21 <= len(page) <= 23 for page in body[1:-1]), [len(p) for p in body]
    # the title is split by meaning, no line one character alone
    assert [text for _, _, text in body[0][:2]] == [
        "关于示例县城关镇",
        "为基层减负工作情况的调研报告",
    ]
    subtitle = body[0][2][2]
    assert subtitle == "——示例县城关镇在为基层减负专题学习研讨会上的交流发言"


@pytest.mark.slow
@needs_office
def test_libreoffice_lays_a_composed_speech_out_at_28_by_22(tmp_path, catalog):
    """A first draft as composed (figures, quotes, 【待核实】 marks) keeps the density too."""
    from jianfu.speech.compose import DraftRequest, compose_draft
    from jianfu.speech.genres import load_genres
    from jianfu.speech.phrasebank import load_phrasebank
    from jianfu.store.demo import demo_observations

    request = DraftRequest("研讨交流发言", "示例县城关镇", "2023年", "2024年")
    draft = compose_draft(demo_observations(), catalog, request, load_genres(), load_phrasebank())
    pages = pdf_lines(render(export_draft(draft, ".docx").data, tmp_path))
    body = [p[:-1] for p in pages]
    hanzi = [
        len(text)
        for page in body
        for x0, x1, text in page
        if abs(x0 - LEFT) < 3 and abs(x1 - RIGHT) < 6 and not re.search(r"[0-9A-Za-z%]", text)
    ]
    # a line before an unbreakable figure is stretched (fewer characters); none holds more
    assert Counter(hanzi).most_common(1)[0][0] == 28 and max(hanzi) <= 29
    assert all(21 <= len(page) <= 23 for page in body[1:-1]), [len(p) for p in body]
