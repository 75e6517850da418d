"""Where each sentence of a draft came from, so a writer can verify a draft in minutes.

The composer records, for every sentence it writes, what the sentence rests on
(:class:`Source`): a row of the comparison table, a threshold rule, a
self-assessment finding, a phrase-bank entry or the genre's template. The editor
shows them beside the paragraph (:func:`provenance`); a sentence the writer typed
or changed no longer matches its source and is shown as the writer's own.

Two visible markers stay in the text until the writer acts on them:
:data:`PENDING` before a phrase-bank 做法 (a claim about what the unit did that
the data cannot show) and :data:`TO_FILL` in a placeholder that gives guidance
where the data has nothing to say.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..numbers.format import POINTS, fmt_signed, fmt_value, is_missing

PENDING = "【待核实】"
TO_FILL = "【待补充】"
KINDS = {
    "engine": "对比数据",
    "threshold": "预警规定",
    "finding": "自评结果",
    "clue": "问题线索",
    "register": "台账",
    "phrase": "短语库",
    "template": "体裁模板",
    "placeholder": "待补充",
    "user": "撰写人",
}
# what a problem may rest on
EVIDENCE_KINDS = ("engine", "threshold", "finding", "clue", "register")
GUIDANCE = "写作提示：数据中没有可作依据的内容，由撰写人按实际填写，或删去"
_SPLIT = re.compile(r"[^。！？；!?;]+[。！？；!?;]?")
_EDGES = "　 \t。！？；!?;，,：:"
RATE_KINDS = ("ratio", "percent")


@dataclass
class Source:
    """One generated sentence and what it rests on, in words the writer can check."""

    text: str
    kind: str
    basis: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            self.kind = "user"


@dataclass(frozen=True)
class SurveyFinding:
    """Evidence from outside the comparison for a draft: one sentence, its area, its basis.

    A self-assessment finding, (kind "clue") the counts of verified 问题线索, or
    (kind "register") what a unit's 台账 rows show against the rules.
    """

    text: str
    category: str = ""  # the phrase-bank category it supports ("" for none in particular)
    topic: str = ""  # the point's topic when the finding stands alone (“督检考方面负担较重”)
    basis: str = ""
    kind: str = "finding"  # "finding" (自评结果), "clue" (问题线索 counts), "register" (台账)


@dataclass(frozen=True)
class Line:
    """One sentence of a paragraph as the editor shows it, with its origin."""

    text: str
    kind: str
    basis: str

    @property
    def label(self) -> str:
        if self.kind == "phrase" and PENDING in self.text:
            return "短语库·待核实"
        return KINDS.get(self.kind, "撰写人")

    @property
    def is_evidence(self) -> bool:
        return self.kind in EVIDENCE_KINDS


def split_sentences(text: str) -> list[str]:
    """Sentences and clauses ending at 。！？；, as the composer joins them."""
    return [s for s in (m.group(0).strip() for m in _SPLIT.finditer(text or "")) if s.strip(_EDGES)]


def normal(text: str) -> str:
    """A sentence as compared with its source: no markers, no closing punctuation or spaces."""
    text = text.replace(PENDING, "").replace(TO_FILL, "")
    return re.sub(r"\s+", "", text).strip(_EDGES)


def sources_of(text: str, kind: str, basis: str = "") -> list[Source]:
    """One source per sentence of ``text`` (so each matches a sentence of the paragraph)."""
    return [Source(s, kind, basis) for s in split_sentences(text)]


def provenance(topic: str, text: str, sources: list[Source]) -> list[Line]:
    """Each sentence of a paragraph (its topic first) with the source it still matches."""
    by_text = {}
    for source in sources:
        by_text.setdefault(normal(source.text), source)
    lines = []
    for sentence in ([topic] if topic.strip() else []) + split_sentences(text):
        source = by_text.get(normal(sentence))
        if source is None:
            lines.append(Line(sentence, "user", "撰写人填写或修改过的句子，请自行核对"))
        else:
            lines.append(Line(sentence, source.kind, source.basis))
    return lines


# ---- bases: what a sentence rests on, said so the writer can find it --------


def engine_basis(row: Mapping[str, object], before: str, after: str) -> str:
    """“对比表：示例县 · 发文数量：2023年 200件 → 2024年 98件，-102件，-51%（改善）”."""
    d = int(row.get("decimals") or 0)  # type: ignore[arg-type]
    measure = str(row.get("measure") or "")
    was = fmt_value(row.get("before"), measure, d, fixed=True)
    now = fmt_value(row.get("after"), measure, d, fixed=True)
    change_unit = POINTS if row.get("kind") in RATE_KINDS else measure
    moves = [fmt_signed(row.get("change"), change_unit, d, fixed=True)]
    if not is_missing(row.get("pct_change")) and row.get("kind") not in RATE_KINDS:
        moves.append(fmt_signed(row.get("pct_change"), "%"))
    return (
        f"对比表：{row.get('unit')} · {row.get('name')}：{before} {was} → {after} {now}，"
        f"{'，'.join(moves)}（{row.get('verdict')}）"
    )


def threshold_basis(row: Mapping[str, object], warning: Mapping[str, object]) -> str:
    """“预警（中央）：……，当前为1人。出处：……”."""
    return (
        f"预警（{warning.get('level')}）：{row.get('unit')} · {row.get('name')}——"
        f"{warning.get('message')}。出处：{warning.get('source')}"
    )


def phrase_basis(category: str, field_label: str, pending: bool) -> str:
    said = f"短语库“{category}”类的{field_label}"
    if pending:
        return f"{said}：常见做法，数据无法证明本单位做过；核实后删去“{PENDING}”，或改写、删去"
    return said


def rows_named(text: str, rows: list[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """The rows whose indicator a sentence names (longest names first, no overlaps)."""
    names = sorted(
        ((str(n), row) for row in rows for n in (row.get("short"), row.get("name")) if n),
        key=lambda item: -len(item[0]),
    )
    taken = [False] * len(text)
    found: list[tuple[int, Mapping[str, object]]] = []
    for name, row in names:
        start = text.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(name)
                found.append((start, row))
            start = text.find(name, end)
    ordered = [row for _, row in sorted(found, key=lambda item: item[0])]
    return list({id(row): row for row in ordered}.values())


def engine_bases(text: str, rows: list[Mapping[str, object]], before: str, after: str) -> str:
    """The basis of a data sentence: the table rows it names, one after another."""
    return "；".join(engine_basis(row, before, after) for row in rows_named(text, rows))
