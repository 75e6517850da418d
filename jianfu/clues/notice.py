"""The 通报 draft: the verified 典型问题 of a period, by category, with what was done.

Built as a draft of the speech engine (jianfu.speech.model.Draft), so the .docx is
the one 公文 layout (jianfu.speech.word). Nothing the reporter wrote (account,
unit named, contact) and nothing of the reporter (no supervisor number, no date
beyond the period): counts, findings and the measures the office recorded, with
phone numbers, e-mail addresses and ID-like digit runs masked in those too. Every
point rests on its clue (source kind "clue"); a clue without recorded measures
gets a visible 【待补充】 instead of an invented one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from ..speech.model import Draft, Paragraph, Section
from ..speech.sources import GUIDANCE, TO_FILL, Source, sources_of
from ..text.periods import period_dates
from .counts import counted, within
from .model import CATEGORIES, CLOSED, RECTIFIED, REFERRED, Clue, ClueError

GENRE = "通报"
MASK = "[已隐去]"
_PRIVATE = re.compile(
    r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail
    r"|(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)"  # mobile
    r"|(?<!\d)\d{7,}[\dXx]?(?!\d)"  # landlines, ID numbers, any long digit run
)
STATE_SAID = {
    REFERRED: "已转{to}办理",
    RECTIFIED: "已整改",
    CLOSED: "已办结",
}
ASK_WORDING = "请用办公室核实后的表述写明问题和整改措施，不照抄反映人原话"
REQUIREMENTS = f"{TO_FILL}请写明工作要求，如对照通报问题自查自纠的范围、时限和报送方式。"


def anonymised(text: str) -> str:
    """The account with contact details and ID-like numbers masked, on one paragraph."""
    return _PRIVATE.sub(MASK, " ".join(text.split()))


def period_of(label: str) -> tuple[str, date, date]:
    found = period_dates(label)
    if found is None:
        raise ClueError(
            f"时期“{label}”无法识别；请写成 2026年、2026年上半年、2026年第四季度或 2026年11月"
        )
    return found


def notice_draft(
    clues: Sequence[Clue], period: str, office: str = "", today: date | None = None
) -> Draft:
    """The 通报 of ``period``'s verified clues; refused when there is none to report."""
    said, since, until = period_of(period)
    received = counted(within(clues, since, until))
    typical = [c for c in received if c.verified]
    if not typical:
        raise ClueError(f"{said}没有核实属实的问题线索，无法起草通报")
    today = today or date.today()
    opening = (
        f"{said}，共收到反映形式主义、官僚主义问题线索{len(received)}条，"
        f"经核实属实或部分属实{len(typical)}条。现将典型问题通报如下。"
    )
    basis = f"问题线索台账：{since.isoformat()}至{until.isoformat()}受理，合并的重复线索不计"
    sections = [
        Section("", numbered=False, paragraphs=[_said(opening, "text", "", basis)]),
        Section("典型问题", key="problems", paragraphs=_problems(typical)),
        Section(
            "有关要求",
            key="requirements",
            paragraphs=[Paragraph(REQUIREMENTS, "text", origin="placeholder")],
        ),
    ]
    return Draft(
        genre=GENRE,
        title=f"关于{said}形式主义官僚主义典型问题的通报",
        unit=office,
        signature=office,
        date=f"{today.year}年{today.month}月{today.day}日",
        sections=sections,
    )


def notice_docx(
    clues: Sequence[Clue], period: str, office: str = "", today: date | None = None
) -> bytes:
    from ..speech.word import draft_docx  # python-docx and lxml: when a notice is made

    return draft_docx(notice_draft(clues, period, office, today))


def _problems(typical: Sequence[Clue]) -> list[Paragraph]:
    out = []
    order = sorted({c.category for c in typical}, key=_rank)
    for category in order:
        out.append(Paragraph(f"{category}方面", "heading2"))
        for clue in sorted((c for c in typical if c.category == category), key=lambda c: c.id):
            out.append(_point(clue))
    return out


def _point(clue: Clue) -> Paragraph:
    """One verified clue in the office's words: its finding and what the office recorded.

    The reporter's own text (the account, the unit they named) never reaches the
    通报: it is unverified, may identify the reporter, and would be read as the
    office's statement. The problem and the measures are what the office wrote
    into 整改措施; without that, a visible 【待补充】 asks for it.
    """
    topic = "经核实，反映的问题" + ("属实" if clue.finding == "核实属实" else "部分属实")
    basis = f"线索{clue.id}：{clue.category}，{clue.finding}，状态{clue.status}"
    if clue.measures:
        said = f"{anonymised(clue.measures).rstrip('。；;.')}。"
        sources = [Source(topic, "clue", basis), *sources_of(said, "clue", basis)]
        return Paragraph(said, "point", topic, origin="data", sources=sources)
    state = STATE_SAID.get(clue.status, "").format(to=clue.referred_to)
    gap = f"{TO_FILL}{ASK_WORDING}" + (f"（目前{state}）" if state else "") + "。"
    sources = [Source(topic, "clue", basis), *sources_of(gap, "placeholder", GUIDANCE)]
    return Paragraph(gap, "point", topic, origin="data", sources=sources)


def _said(text: str, kind: str, topic: str, basis: str) -> Paragraph:
    return Paragraph(text, kind, topic, origin="data", sources=sources_of(text, "clue", basis))


def _rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)
