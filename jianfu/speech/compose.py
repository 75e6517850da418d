"""The composer: a first draft from a genre, the engine's comparison and the phrase bank.

Each section of a genre names how it is filled (``fill`` in the genre file):
template texts, measures with the data sentences of their category, the
outcomes, problems (indicators that got worse or broke a threshold, plus
self-assessment findings), phrases picked from the bank, or an item-by-item
self-check. Every figure comes from the comparison table (already rounded at the
draft's precision, see figures.py) through the engine's sentence maker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..catalog import CATEGORIES, Catalog
from ..compare.engine import COMPARED
from ..compare.sentences import change_sentence, period_phrase, summary_sentences
from ..errors import JianfuError
from ..phrasebank import PhraseBank
from .figures import draft_comparison
from .genres import Genre, SectionSpec
from .model import DEFAULT_RATE, Draft, Paragraph, Section

LOWER, HIGHER = "越少越好", "越多越好"
MAX_FIGURES = 4  # no 分别 sentence carries more than four figures
_CLOSE = "。；，、：:;,."
SKIP_CATEGORIES = ("成效",)
# words in many indicator names that say nothing about the burden itself
_GENERIC = {
    "数量",
    "次数",
    "人数",
    "种类",
    "事项",
    "时长",
    "占比",
    "基层",
}  # outcomes, not a burden area with measures of its own


@dataclass(frozen=True)
class DraftRequest:
    """What the user chose before the first draft is made."""

    genre: str
    unit: str
    before: str
    after: str
    categories: tuple[str, ...] | None = None  # None: every area with data
    title: str = ""
    speaker: str = ""
    occasion: str = ""
    digits: int = 2
    rate: int = DEFAULT_RATE
    findings: tuple[str, ...] = field(default=())  # self-assessment findings, plain sentences
    date: dt.date | None = None


def compose_draft(
    obs: pd.DataFrame,
    catalog: Catalog,
    request: DraftRequest,
    genres: dict[str, Genre],
    bank: PhraseBank,
) -> Draft:
    """Compare the request's periods for its unit and compose the first draft."""
    if request.genre not in genres:
        raise JianfuError(f"体裁“{request.genre}”不存在，可选：{'、'.join(genres)}")
    if not request.unit:
        raise JianfuError("请选择单位")
    if not request.before or not request.after or request.before == request.after:
        raise JianfuError("请选择两个不同的时期（基期和比较期）")
    table = draft_comparison(
        obs, catalog, request.unit, request.before, request.after, request.digits
    )
    return compose(genres[request.genre], table, bank, request)


def default_categories(table: pd.DataFrame, bank: PhraseBank) -> list[str]:
    """Burden areas with data in the comparison that the phrase bank covers, in catalog order."""
    present = set(table.loc[table["verdict"].isin(COMPARED), "category"])
    return [c for c in _ordered(present) if c in bank.names() and c not in SKIP_CATEGORIES]


def compose(genre: Genre, table: pd.DataFrame, bank: PhraseBank, request: DraftRequest) -> Draft:
    """A draft of ``genre`` from an (already rounded) comparison table."""
    values = {
        "unit": request.unit,
        "occasion": request.occasion or genre.occasion,
        "speaker": request.speaker,
        "before": request.before,
        "after": request.after,
    }
    categories = (
        list(request.categories)
        if request.categories is not None
        else default_categories(table, bank)
    )
    context = _Context(table, bank, categories, request, values, genre)
    sections = [
        Section(
            title=spec.title,
            numbered=spec.numbered,
            key=spec.key,
            guidance=spec.guidance,
            needs_figure=spec.needs_figure,
            paragraphs=_FILLERS[spec.fill](spec, context),
        )
        for spec in genre.sections
    ]
    date = request.date or dt.date.today()
    return Draft(
        genre=genre.name,
        title=request.title.strip() or genre.fill(genre.title, values),
        subtitle=genre.fill(genre.subtitle, values),
        speaker=genre.fill(genre.byline, values).strip() if request.speaker else "",
        occasion=values["occasion"],
        unit=request.unit,
        before=request.before,
        after=request.after,
        signature=request.unit if genre.signature else "",
        date=f"{date.year}年{date.month}月{date.day}日" if genre.signature else "",
        digits=request.digits,
        rate=request.rate,
        limit_minutes=genre.limit_minutes,
        limit_chars=genre.limit_chars,
        sections=sections,
    )


@dataclass
class _Context:
    table: pd.DataFrame
    bank: PhraseBank
    categories: list[str]
    request: DraftRequest
    values: dict[str, str]
    genre: Genre

    @property
    def period_word(self) -> str:
        return period_phrase(self.request.before, self.request.after)

    def rows(self, category: str) -> pd.DataFrame:
        return self.table[self.table["category"] == category]

    def phrase(self, category: str, field_: str, pick: int = 0) -> str:
        items = getattr(self.bank.category(category), field_)
        if not items:
            return ""
        return items[pick] if pick < len(items) else items[0]


# ---- fillers ---------------------------------------------------------------


def _template(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    fill = ctx.genre.fill
    paragraphs = [
        Paragraph(fill(t, ctx.values), "text", origin="template") for t in spec.paragraphs
    ]
    paragraphs += [
        Paragraph(fill(p.text, ctx.values), "point", fill(p.topic, ctx.values), origin="template")
        for p in spec.points
    ]
    return paragraphs


def _measures_results(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Per area: its heading as the topic, a measure, then the area's gains in figures."""
    out = []
    for category in ctx.categories:
        gains = _gains(ctx.rows(category))
        sentences = summary_sentences(
            gains, "", period_word=ctx.period_word, max_figures=MAX_FIGURES
        ) if len(gains) else []  # fmt: skip
        text = _sentences(ctx.phrase(category, "measures"), *sentences, spec.suffix)
        out.append(
            _point(ctx.phrase(category, "headings"), text, "data" if sentences else "phrase")
        )
    return out


def _measures(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Per area: heading, measure and one before → after figure (its first gain)."""
    out = []
    for category in ctx.categories:
        gains = _gains(ctx.rows(category))
        figure = [change_sentence(gains.iloc[0])] if len(gains) else []
        text = _sentences(ctx.phrase(category, "measures"), *figure, spec.suffix)
        out.append(_point(ctx.phrase(category, "headings"), text, "data" if figure else "phrase"))
    return out


def _results(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Outcomes: burdens that fell, then what grew (problems solved, satisfaction …)."""
    table = ctx.table[ctx.table["category"].isin([*ctx.categories, *SKIP_CATEGORIES])]
    gains = _gains(table)
    out = []
    for direction, topic in ((LOWER, "基层负担明显减轻"), (HIGHER, "干部干事活力进一步增强")):
        part = gains[gains["direction"] == direction]
        if not len(part):
            continue
        sentences = summary_sentences(
            part, ctx.request.unit, period_word=ctx.period_word, max_figures=MAX_FIGURES
        )
        out.append(_point(topic, _sentences(*sentences, spec.suffix, sep="；"), "data"))
    return out


def _problems(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Areas whose indicators got worse or broke a threshold, each with its evidence."""
    out = []
    for category in ctx.categories:
        rows = ctx.rows(category)
        found = [(row["name"], _evidence(row)) for row in rows.to_dict("records")]
        found = [(name, said) for name, said in found if said]
        if not found:
            continue
        evidence = [e for _, said in found for e in said]
        names = " ".join(name for name, _ in found)
        phrase = _closest(ctx.bank.category(category).problems, names)
        out.append(_point("", _sentences(phrase, "；".join(evidence), spec.suffix), "data"))
    out += [_point("", _sentences(f, spec.suffix), "finding") for f in ctx.request.findings if f]
    if not out and ctx.categories:
        phrase = ctx.phrase(ctx.categories[0], "problems")
        out.append(_point("", _sentences(phrase, spec.suffix), "phrase"))
    return out


def _phrases(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    out = []
    for category in ctx.categories:
        phrase = ctx.phrase(category, spec.field, spec.pick)
        if phrase:
            out.append(_point("", _sentences(phrase, spec.suffix), "phrase"))
    return out


def _self_check(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Item by item: every indicator's before → after and its warnings; then the areas without."""
    out, clean = [], []
    for category in [*ctx.categories, *SKIP_CATEGORIES]:
        rows = [r for r in ctx.rows(category).to_dict("records") if r["verdict"] in COMPARED]
        if not rows:
            continue
        facts = [change_sentence(r) for r in rows]
        warnings = [w["message"] for r in rows for w in (r["warnings"] or [])[:1]]
        if not warnings:
            clean.append(category)
        text = _sentences("；".join(facts + warnings), spec.suffix)
        out.append(_point(f"{category}方面", text, "data"))
    if clean:
        said = f"经对照，{'、'.join(clean)}方面的指标均未触发预警"
        out.append(Paragraph(_sentences(said), "text", origin="data"))
    return out


_FILLERS = {
    "template": _template,
    "measures": _measures,
    "measures_results": _measures_results,
    "results": _results,
    "problems": _problems,
    "phrases": _phrases,
    "self_check": _self_check,
}


# ---- helpers ---------------------------------------------------------------


def _gains(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that moved the right way: 改善, or a new value of a 越多越好 indicator."""
    verdict = rows["verdict"]
    return rows[(verdict == "改善") | ((verdict == "新增") & (rows["direction"] == HIGHER))]


def _evidence(row: dict) -> list[str]:
    """What makes a row a problem: it got worse, or the engine warns about it."""
    worse = row["verdict"] == "恶化" or (row["verdict"] == "新增" and row["direction"] == LOWER)
    said = [change_sentence(row)] if worse else []
    rules = ("not_above_previous",) if worse else ()  # already said by the change sentence
    warnings = [w["message"] for w in row["warnings"] or [] if w.get("rule") not in rules]
    return said + warnings[:1]  # one threshold per indicator is enough in running text


def _closest(phrases: Sequence[str], names: str) -> str:
    """The phrase sharing most two-character words with the indicator names (first on ties)."""
    if not phrases:
        return ""
    grams = {names[i : i + 2] for i in range(len(names) - 1)} - _GENERIC
    scores = [sum(p[i : i + 2] in grams for i in range(len(p) - 1)) for p in phrases]
    return phrases[scores.index(max(scores))]


def _point(topic: str, text: str, origin: str) -> Paragraph:
    return Paragraph(text=text, kind="point", topic=topic, origin=origin)


def _sentences(*parts: str, sep: str = "。") -> str:
    """Join clauses into sentences: each part closed once, the whole ending with 。."""
    clean = [p.strip().rstrip(_CLOSE) for p in parts if p and p.strip()]
    if not clean:
        return ""
    last = parts[-1].strip() if parts and parts[-1] else ""
    if last.startswith("（"):  # a suffix such as （责任单位：…） follows the full stop
        return sep.join(clean[:-1]) + "。" + last
    return sep.join(clean) + "。"


def _ordered(categories: set[str]) -> list[str]:
    known = [c for c in CATEGORIES if c in categories]
    return known + sorted(categories - set(known))
