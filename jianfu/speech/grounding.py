"""Checks that a draft states nothing the data does not show.

- 缺少问题依据: a problems section with no evidence at all (the placeholder the
  composer leaves), or a problem with neither evidence (a worsened indicator, a
  broken threshold, a self-assessment finding) nor a figure of the writer's own;
- 做法待核实: a phrase-bank 做法 still marked 【待核实】: the data cannot show the
  unit did it, so the writer vouches for it (deletes the mark) or rewrites it;
- 待补充: a placeholder the writer has not replaced yet.
"""

from __future__ import annotations

import unicodedata

from .figures import has_figure
from .finding import Finding
from .model import Draft, Paragraph, Section
from .sources import PENDING, TO_FILL, normal, provenance, split_sentences


def check_grounding(draft: Draft) -> list[Finding]:
    out = []
    for section in draft.sections:
        if section.needs_evidence:
            out += _problems_without_evidence(section)
        out += _marks(section)
    return out


def finding_sentences(draft: Draft) -> frozenset[str]:
    """The self-assessment's and the clue counts' sentences as generated, normalised as the
    figure check reads (their figures are not an indicator's)."""
    return frozenset(
        normal(unicodedata.normalize("NFKC", s.text))
        for _, p in draft.paragraphs()
        for s in p.sources
        if s.kind in ("finding", "clue")
    )


def has_evidence(paragraph: Paragraph) -> bool:
    """A sentence still rests on evidence, or the writer's own words carry a figure."""
    return any(
        line.is_evidence or (line.kind == "user" and has_figure(line.text))
        for line in provenance(paragraph.topic, paragraph.text, paragraph.sources)
        if TO_FILL not in line.text
    )


def _problems_without_evidence(section: Section) -> list[Finding]:
    written = [p for p in section.paragraphs if (p.topic + p.text).strip()]
    grounded = [p for p in written if has_evidence(p)]
    name = f"“{section.title or '这一部分'}”"
    if not grounded:
        first = written[0].id if written else None
        return [
            Finding(
                "no_evidence",
                f"{name}没有一条有依据的问题：数据中没有变差或超出预警的指标，也没有不少于五人的"
                "自评结果。请写本单位确有的问题并附上事实和数字，不要套用常见问题的说法",
                first,
                section.id,
            )
        ]
    return [
        Finding(
            "no_evidence",
            "这一条问题没有依据（没有变差或超出预警的指标、自评结果，也没有数字）："
            "补上本单位的事实和数字，或删去",
            p.id,
            section.id,
        )
        for p in written
        if p not in grounded
    ]


def _marks(section: Section) -> list[Finding]:
    out = []
    for paragraph in section.paragraphs:
        text = paragraph.topic + paragraph.text
        if PENDING in text:
            claim = next(
                s for s in [paragraph.topic, *split_sentences(paragraph.text)] if PENDING in s
            )
            shown = normal(claim)[:16]
            out.append(
                Finding(
                    "pending",
                    f"“{shown}……”是短语库中的常见做法，数据不能证明本单位做过："
                    f"确有此做法的，删去“{PENDING}”（或点“确认属实”）；没有的，改写或删去",
                    paragraph.id,
                    section.id,
                )
            )
        if TO_FILL in text and not section.needs_evidence:
            out.append(
                Finding(
                    "to_fill",
                    f"这里还是写作提示（{TO_FILL}）：换成本单位的实际内容，或删去这一段",
                    paragraph.id,
                    section.id,
                )
            )
    return out
