"""The composer: a first draft from a genre, the engine's comparison and the phrase bank.

Each section of a genre names how it is filled (``fill`` in the genre file):
template texts, measures with the data sentences of their category, the
outcomes, problems (see problems.py: only what the evidence shows), phrases
picked from the bank, or an item-by-item self-check. Every figure comes from
the comparison table (at the draft's precision, see figures.py) through the
engine's sentence maker, and every sentence carries its source (sources.py), so
the editor can show what it rests on. A phrase-bank 做法 is a claim the data
cannot show: it is written with 【待核实】 until the writer vouches for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from ..catalog import CATEGORIES, Catalog
from ..catalog.directions import COMPARED, HIGHER, LOWER, favourable_mask
from ..compare.sentences import change_sentence, period_phrase, summary_sentences
from ..errors import JianfuError
from .figures import checked_levels, draft_comparison
from .genres import Genre, SectionSpec
from .model import DEFAULT_RATE, Draft, Paragraph, Section
from .phrasebank import FIELDS, PhraseBank
from .problems import area_name, figures_and_rule, placeholder, problem_points, problem_rows
from .sources import (
    GUIDANCE,
    PENDING,
    TO_FILL,
    Source,
    SurveyFinding,
    engine_bases,
    phrase_basis,
    sources_of,
)
from .voice import suggest_self_name
from .wording import same_formula

MAX_FIGURES = 4  # no 分别 sentence carries more than four figures
_CLOSE = "。；，、：:;,."
SKIP_CATEGORIES = ("成效",)  # outcomes, not a burden area with measures of its own
# words in many indicator names that say nothing about the burden itself
_GENERIC = {"数量", "次数", "人数", "种类", "事项", "时长", "占比", "基层", "干部", "工作"}
TEMPLATE = "体裁模板的固定文字"
NO_GAINS = (
    f"{TO_FILL}所选两个时期没有改善的指标可作成效。请写明本单位确实做过的工作，"
    "并用可以核实的数字或事例说明。"
)


NO_PROBLEMS_TEMPLATE = "上文没有列出有依据的问题，这一部分的模板文字无从说起；如另有问题，"
NO_GAINS_TEMPLATE = "对比数据显示不出成果，结尾“巩固成果”之类的说法没有依据，请按实际改写。"


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
    digits: int | None = None  # None: as on the 对比 page
    disabled_levels: tuple[str, ...] = ()  # threshold levels left out (预警依据), as on 对比
    rate: int = DEFAULT_RATE
    findings: tuple[SurveyFinding | str, ...] = field(default=())  # self-assessment findings
    date: dt.date | None = None
    self_name: str | None = None  # None: 我县/我镇… for a first-person genre, else the unit


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
        obs,
        catalog,
        request.unit,
        request.before,
        request.after,
        request.digits,
        request.disabled_levels,
    )
    return compose(genres[request.genre], table, bank, request)


def default_categories(table: pd.DataFrame, bank: PhraseBank) -> list[str]:
    """Burden areas with data in the comparison that the phrase bank covers, in catalog order."""
    present = set(table.loc[table["verdict"].isin(COMPARED), "category"])
    return [c for c in _ordered(present) if c in bank.names() and c not in SKIP_CATEGORIES]


def self_name_for(genre: Genre, request: DraftRequest) -> str:
    """What the body calls the unit: the writer's choice, else 我县… when it speaks for itself."""
    if request.self_name is not None and request.self_name.strip():
        return request.self_name.strip()
    return suggest_self_name(request.unit) if genre.first_person else request.unit


def compose(genre: Genre, table: pd.DataFrame, bank: PhraseBank, request: DraftRequest) -> Draft:
    """A draft of ``genre`` from an (already rounded) comparison table."""
    categories = (
        list(request.categories)
        if request.categories is not None
        else default_categories(table, bank)
    )
    self_name = self_name_for(genre, request)
    values = {
        "unit": request.unit,
        "occasion": request.occasion or genre.occasion,
        "speaker": request.speaker,
        "before": request.before,
        "after": request.after,
        "self": self_name,
        "areas": areas_phrase(categories),
        # a lead that introduces the 做法 names only the areas the 做法 section covers
        "gain_areas": areas_phrase([c for c in categories if len(_gains(_rows_of(table, c)))]),
    }
    context = _Context(table, bank, categories, request, values, genre)
    sections = [
        Section(
            title=spec.title,
            numbered=spec.numbered,
            key=spec.key,
            guidance=spec.guidance,
            needs_figure=spec.needs_figure,
            needs_evidence=spec.fill == "problems",
            paragraphs=_no_lone_point(_FILLERS[spec.fill](spec, context) or _empty(spec)),
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
        disabled_levels=checked_levels(request.disabled_levels),
        rate=request.rate,
        limit_minutes=genre.limit_minutes,
        limit_chars=genre.limit_chars,
        first_person=genre.first_person,
        self_name=self_name,
        sections=sections,
    )


def areas_phrase(categories: list[str]) -> str:
    """“文件、会议等方面”; one area is “文件方面” (“文件等方面” promises more than one)."""
    if not categories:
        return "各个方面"
    return f"{'、'.join(categories)}{'等' if len(categories) > 1 else ''}方面"


@dataclass
class _Context:
    table: pd.DataFrame
    bank: PhraseBank
    categories: list[str]
    request: DraftRequest
    values: dict[str, str]
    genre: Genre
    used: list[str] = field(default_factory=list)  # phrases taken, so no formula repeats

    @property
    def period_word(self) -> str:
        return period_phrase(self.request.before, self.request.after)

    @property
    def periods(self) -> tuple[str, str]:
        return self.request.before, self.request.after

    def rows(self, category: str) -> pd.DataFrame:
        return _rows_of(self.table, category)

    def phrase(self, category: str, field_: str, pick: int = 0, about: str = "") -> str:
        """Entry ``pick`` of a category's list, or the next one not repeating a formula used.

        With ``about`` (names of indicators that got worse) the entries sharing most
        words with it come first, so a plan answers the problem the data shows.
        """
        items = list(getattr(self.bank.category(category), field_))
        if not items:
            return ""
        start = pick if pick < len(items) else 0
        ordered = items[start:] + items[:start]
        if about:
            ordered.sort(key=lambda phrase: -_shared_words(phrase, about, items))
        for phrase in ordered:
            if not any(same_formula(phrase, used) for used in self.used):
                self.used.append(phrase)
                return phrase
        return items[start]

    def data(self, sentences: list[str], rows: pd.DataFrame) -> list[tuple[str, str, str]]:
        """Data sentences as pieces, each with the table rows it names as its basis."""
        records = rows.to_dict("records")
        return [(s, "engine", engine_bases(s, records, *self.periods)) for s in sentences]


# ---- fillers ---------------------------------------------------------------


def _template(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    if spec.for_gains and not len(_gains(ctx.table)):
        return [_placeholder(f"{TO_FILL}{NO_GAINS_TEMPLATE}{spec.guidance}")]
    if spec.for_problems and not _any_problem(ctx):  # 原因分析 of problems nobody found
        return [_placeholder(f"{TO_FILL}{NO_PROBLEMS_TEMPLATE}{spec.guidance}")]
    fill = ctx.genre.fill
    paragraphs = [
        _paragraph("text", "", [(fill(t, ctx.values), "template", TEMPLATE)], origin="template")
        for t in spec.paragraphs
    ]
    paragraphs += [
        _paragraph(
            "point",
            fill(p.topic, ctx.values),
            [(fill(p.text, ctx.values), "template", TEMPLATE)],
            topic_source=("template", TEMPLATE),
            origin="template",
        )
        for p in spec.points
    ]
    return paragraphs


def _measures_results(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Per area with gains: its heading, a measure to verify, then the gains in figures."""
    out = []
    for category in ctx.categories:
        gains = _gains(ctx.rows(category))
        if not len(gains):
            continue  # no gain: nothing here can show the measure worked
        sentences = summary_sentences(
            gains, "", period_word=ctx.period_word, max_figures=MAX_FIGURES
        )
        out.append(_measure_point(spec, ctx, category, ctx.data(sentences, gains)))
    return out


def _measures(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Per area with gains: heading, a measure to verify and one before → after figure."""
    out = []
    for category in ctx.categories:
        gains = _gains(ctx.rows(category))
        if not len(gains):
            continue
        figure = change_sentence(gains.iloc[0])
        out.append(_measure_point(spec, ctx, category, ctx.data([figure], gains.iloc[:1])))
    return out


def _measure_point(spec: SectionSpec, ctx: _Context, category: str, data) -> Paragraph:
    measure = ctx.phrase(category, "measures")
    pieces = [(PENDING + measure, "phrase", phrase_basis(category, FIELDS["measures"], True))]
    heading = ctx.phrase(category, "headings")
    return _paragraph(
        "point",
        heading,
        [*(pieces if measure else []), *data, (spec.suffix, "template", TEMPLATE)],
        topic_source=("phrase", phrase_basis(category, FIELDS["headings"], False)),
        origin="data",
    )


def _results(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Outcomes: burdens that fell, then what grew (problems solved, satisfaction …)."""
    table = ctx.table[ctx.table["category"].isin([*ctx.categories, *SKIP_CATEGORIES])]
    gains = _gains(table)
    out = []
    # topics say what the figures are, not how much they mean (“明显减轻” would be a claim)
    for direction, topic in ((LOWER, "负担类指标下降"), (HIGHER, "正向指标上升")):
        part = gains[gains["direction"] == direction]
        if not len(part):
            continue
        sentences = summary_sentences(
            part, ctx.values["self"], period_word=ctx.period_word, max_figures=MAX_FIGURES
        )
        pieces = [*ctx.data(sentences, part), (spec.suffix, "template", TEMPLATE)]
        basis = "；".join(p[2] for p in pieces if p[1] == "engine")
        out.append(_paragraph("point", topic, pieces, sep="；", topic_source=("engine", basis)))
    return out


def _problems(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Areas whose indicators got worse or broke a threshold, and the self-assessment."""
    areas = [*ctx.categories, *SKIP_CATEGORIES]
    rows = [(c, ctx.rows(c).to_dict("records")) for c in areas]
    return problem_points(rows, ctx.request.findings, ctx.periods, _sentences, spec.suffix)


def _phrases(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Plans and suggestions by area (not claims about the past: nothing to verify).

    ``for_problems`` (整改措施, 对策建议): only areas with a problem the evidence
    shows, in the data or the self-assessment; a fix for nothing found misleads.
    """
    out = []
    surveyed = {getattr(f, "category", "") for f in ctx.request.findings}
    for category in ctx.categories:
        worse = problem_rows(ctx.rows(category).to_dict("records"))
        if spec.for_problems and not worse and category not in surveyed:
            continue
        about = " ".join(str(r["name"]) for r in worse) if spec.field == "next_steps" else ""
        phrase = ctx.phrase(category, spec.field, spec.pick, about)
        if phrase:
            basis = phrase_basis(category, FIELDS[spec.field], False)
            pieces = [(phrase, "phrase", basis), (spec.suffix, "template", TEMPLATE)]
            out.append(_paragraph("point", "", pieces, origin="phrase"))
    return out


def _self_check(spec: SectionSpec, ctx: _Context) -> list[Paragraph]:
    """Item by item: every indicator's before → after and its warnings; then the areas without."""
    out, clean, clean_basis = [], [], []
    # only an indicator some rule applies to was checked: “未触发预警” of the others says nothing
    ruled = ctx.table.attrs.get("ruled", set(ctx.table["indicator"]))
    for category in [*ctx.categories, *SKIP_CATEGORIES]:
        rows = [r for r in ctx.rows(category).to_dict("records") if r["verdict"] in COMPARED]
        if not rows:
            continue
        pieces = []
        for row in rows:  # each rule right after the figures it judges, which it does not repeat
            rule = (row["warnings"] or [])[:1]
            said, basis = figures_and_rule(row, rule, *ctx.periods)
            pieces.append((said, "threshold" if rule else "engine", basis))
        checked = [r for r in rows if r["indicator"] in ruled]
        if checked and not any(r["warnings"] for r in rows):
            clean.append(category)
            clean_basis += [f"{r['name']}：无预警" for r in checked]
        topic_basis = f"对比表：{ctx.request.unit}{category}方面的{len(rows)}项指标"
        out.append(
            _paragraph(
                "point",
                f"{area_name(category)}方面",
                [*pieces, (spec.suffix, "template", TEMPLATE)],
                sep="；",
                topic_source=("engine", topic_basis),
            )
        )
    if clean:
        each = "均" if len(clean_basis) > 1 else ""
        said = f"经对照，{'、'.join(map(area_name, clean))}方面的指标{each}未触发预警"
        basis = "预警清单：" + "；".join(clean_basis)
        out.append(_paragraph("text", "", [(said, "threshold", basis)]))
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


def _empty(spec: SectionSpec) -> list[Paragraph]:
    """What a section holds when the data gives it nothing: guidance, never a stock claim."""
    if spec.fill == "problems":
        return [placeholder()]
    if spec.fill in ("measures", "measures_results", "results"):
        text = NO_GAINS
    elif spec.fill == "template":
        return []
    elif spec.for_problems:
        text = f"{TO_FILL}没有有依据的问题需要整改或提出建议；如另有问题，写明措施、责任和时限。"
    else:
        text = f"{TO_FILL}{spec.guidance or '请按本单位实际填写。'}"
    return [_placeholder(text)]


def _placeholder(text: str) -> Paragraph:
    return Paragraph(
        text, "text", origin="placeholder", sources=sources_of(text, "placeholder", GUIDANCE)
    )


def _no_lone_point(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """A single 一是 with no 二是 reads as a slip: one point becomes a plain paragraph."""
    points = [p for p in paragraphs if p.kind == "point"]
    if len(points) != 1:
        return paragraphs
    point = points[0]
    point.text = _sentences(point.topic, point.text) if point.topic else point.text
    point.kind, point.topic = "text", ""
    return paragraphs


def _paragraph(
    kind: str,
    topic: str,
    pieces: list[tuple[str, str, str]],
    *,
    sep: str = "。",
    topic_source: tuple[str, str] | None = None,
    origin: str = "data",
) -> Paragraph:
    """A paragraph from (text, source kind, basis) pieces, each sentence with its source."""
    text = _sentences(*(p[0] for p in pieces), sep=sep)
    sources: list[Source] = []
    if topic and topic_source:
        sources.append(Source(topic, *topic_source))
    for piece, kind_, basis in pieces:
        sources += sources_of(piece, kind_, basis)
    return Paragraph(text, kind, topic, origin=origin, sources=sources)


def _shared_words(phrase: str, names: str, siblings: list[str]) -> int:
    """Distinct two-character words a phrase shares with indicator names.

    Generic words, and words most phrases of the area use (借调 in every 借调
    plan), say nothing about which plan answers the problem, so they do not count.
    """
    grams = {names[i : i + 2] for i in range(len(names) - 1)} - _GENERIC
    common = {g for g in grams if sum(g in s for s in siblings) * 2 > len(siblings)}
    return len({phrase[i : i + 2] for i in range(len(phrase) - 1)} & (grams - common))


def _any_problem(ctx: _Context) -> bool:
    """True when 存在的主要问题 has evidence: a row worse or warned, or a finding."""
    areas = [*ctx.categories, *SKIP_CATEGORIES]
    return bool(ctx.request.findings) or any(
        problem_rows(ctx.rows(c).to_dict("records")) for c in areas
    )


def _rows_of(table: pd.DataFrame, category: str) -> pd.DataFrame:
    return table[table["category"] == category]


def _gains(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows that moved the right way: 改善, or a new value of a 越多越好 indicator."""
    return rows[favourable_mask(rows)]


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
