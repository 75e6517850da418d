"""Checks of how a draft reads aloud.

- 只有“一是”: a 一是 with no 二是 (one numbered point in a group, or “一是……” in
  running text with no “二是” after it);
- 句式雷同: the same formula in several points (see wording.py);
- 称呼本单位: the unit speaking for itself names itself in full where 我县/我镇/我局
  is idiomatic;
- 篇幅不足: a speech far below its time: under :data:`SHORT_SHARE` of the limit
  (5 of 8 minutes is a normal speech; under 60% the slot is visibly not used).
"""

from __future__ import annotations

import re

from .finding import Finding
from .model import Draft
from .render import Block, fmt_minutes, length
from .sources import TO_FILL
from .voice import suggest_self_name
from .wording import formula_sentences, same_formula

SHORT_SHARE = 0.6
_FIRST = re.compile(r"(?:^|[，。；：、,;:\s])一是")
_SECOND = re.compile(r"(?:^|[，。；：、,;:\s])二是")


def check_lone_points(draft: Draft) -> list[Finding]:
    """A group of points (a section, or the part under one （一） heading) with one point."""
    out = []
    for section in draft.sections:
        groups: list[list] = [[]]
        for paragraph in section.paragraphs:
            if paragraph.kind in ("heading2", "heading3", "heading4"):
                groups.append([])
            elif paragraph.kind == "point":
                groups[-1].append(paragraph)
        for group in groups:
            if len(group) == 1:
                out.append(
                    Finding(
                        "lone_point",
                        "只有“一是”，没有“二是”：把这一段改成普通段落，或补上第二条",
                        group[0].id,
                        section.id,
                    )
                )
        for paragraph in section.paragraphs:
            text = paragraph.topic + paragraph.text
            if _FIRST.search(text) and not _SECOND.search(text):
                out.append(
                    Finding(
                        "lone_point",
                        "文中写了“一是”，后面没有“二是”：删去“一是”，或补上第二条",
                        paragraph.id,
                        section.id,
                    )
                )
    return out


def check_same_formula(draft: Draft) -> list[Finding]:
    """Sentences of different points that are one formula with the nouns swapped."""
    said = [
        (p, section, s)
        for section in draft.sections
        for p in section.paragraphs
        if p.kind in ("point", "text") and TO_FILL not in p.text  # guidance is no formula
        for s in formula_sentences(p.text)
    ]
    out, seen = [], set()
    for i, (paragraph, section, sentence) in enumerate(said):
        if paragraph.id in seen:
            continue
        alike = [
            (p, s)
            for p, _, s in said[i + 1 :]
            if p.id != paragraph.id and same_formula(sentence, s)
        ]
        if not alike:
            continue
        seen |= {paragraph.id, *(p.id for p, _ in alike)}
        others = "”“".join(s[:14] + "……" for _, s in alike[:2])
        out.append(
            Finding(
                "same_formula",
                f"“{sentence[:14]}……”与“{others}”是同一个句式（共{len(alike) + 1}处）："
                "换成各方面的具体做法，或合并成一句",
                paragraph.id,
                section.id,
            )
        )
    return out


def check_self_name(draft: Draft, items: list[Block]) -> list[Finding]:
    """The unit speaking for itself should say 我县/我镇/我局, not its own full name."""
    unit = draft.unit.strip()
    if not unit or not (draft.first_person or draft.self_name):
        return []
    if draft.self_name == unit:
        return []  # the writer chose the full name
    spoken = [b for b in items if b.spoken and b.paragraph_id and unit in b.text]
    if not spoken:
        return []
    count = sum(b.text.count(unit) for b in spoken)
    name = draft.self_name or suggest_self_name(unit)
    return [
        Finding(
            "self_name",
            f"正文{count}处直称本单位“{unit}”，本单位发言一般说“{name}”：可在“自称”中选择"
            f"“{name}”（正文中的“{unit}”会一并改过来），确需用全称的选单位名称",
            spoken[0].paragraph_id,
            spoken[0].section_id,
        )
    ]


def check_too_short(draft: Draft) -> list[Finding]:
    """A speech far below its time: under 60% of the limit."""
    size = length(draft)
    if not size.limit_minutes or size.share is None or size.share >= SHORT_SHARE:
        return []
    target = int(size.limit_minutes * draft.rate * SHORT_SHARE)
    return [
        Finding(
            "too_short",
            f"全文{size.chars}字，约{fmt_minutes(size.minutes)}，不到限时{size.limit_minutes:g}分钟的"
            f"六成（按每分钟{draft.rate}字，至少约{target}字）：补充具体做法、事例和数字",
        )
    ]
