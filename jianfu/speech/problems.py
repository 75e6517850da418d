"""存在的主要问题: only problems the evidence shows, each with its evidence beside it.

A problem rests on a row of the comparison that got worse, a threshold rule the
unit breaks, a self-assessment finding of at least five respondents, or the
counts of verified 问题线索 (jianfu.clues.evidence). Each area with evidence becomes one point: a topic said from
the evidence (“文件方面出现反弹”), then the evidence itself. Self-assessment
findings join the point of the area they support, or make one of their own.
With no evidence at all the section holds a visible placeholder with guidance,
never a stock claim: a phrase such as “发文总量明降暗升” contradicts a unit whose
documents fell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..catalog.directions import HIGHER, LOWER, NEW, unfavourable
from ..compare.sentences import change_sentence
from ..compare.thresholds import rule_of
from .model import Paragraph
from .sources import (
    GUIDANCE,
    TO_FILL,
    Source,
    SurveyFinding,
    engine_basis,
    sources_of,
    threshold_basis,
)

PLACEHOLDER = (
    f"{TO_FILL}对比数据中没有变差或超出预警的指标，也没有可引用的自评结果（不少于五人作答）。"
    "如确有问题，请写明具体事实和数字；没有依据的，不要套用常见问题的说法。"
)
SAID_BY_CHANGE = ("not_above_previous",)  # a rise over last year is said by the change itself

Joiner = Callable[..., str]
RULE_LEVELS = {"中央", "省"}  # threshold levels whose rules a draft may call 规定
# an example threshold is another unit's practice (公开交流材料), binding on nobody: a draft
# that called it a 要求 told its listeners the unit broke a rule that does not exist
EXAMPLE_LEVEL = "示例"
AREA_NAMES = {"成效": "减负成效"}  # how an area is said in a topic (“减负成效方面”)


def area_name(category: str) -> str:
    return AREA_NAMES.get(category, category)


def problem_points(
    rows_by_category: Sequence[tuple[str, list[dict]]],
    findings: Sequence[SurveyFinding | str],
    periods: tuple[str, str],
    join: Joiner,
    suffix: str = "",
) -> list[Paragraph]:
    """One point per area with evidence, in the given order; findings placed where they fit."""
    found = [_as_finding(f) for f in findings if f]
    points: dict[str, Paragraph] = {}
    for category, rows in rows_by_category:
        paragraph = _area_point(category, rows, periods, join, suffix)
        if paragraph is not None:
            points[category] = paragraph
    loose = []
    for finding in found:
        target = points.get(finding.category) if finding.category else None
        if target is not None:
            _append(target, finding, join, suffix)
        elif finding.category:
            points[finding.category] = _finding_point(finding, join, suffix)
        else:
            loose.append(_finding_point(finding, join, suffix))
    order = [c for c, _ in rows_by_category]
    ordered = sorted(points.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    return [p for _, p in ordered] + loose


def placeholder() -> Paragraph:
    """The visible gap left where nothing shows a problem (the checks list it)."""
    return Paragraph(
        PLACEHOLDER,
        "text",
        origin="placeholder",
        sources=sources_of(PLACEHOLDER, "placeholder", GUIDANCE),
    )


def _area_point(
    category: str, rows: list[dict], periods: tuple[str, str], join: Joiner, suffix: str
) -> Paragraph | None:
    before, after = periods
    moves: list[tuple[str, Source]] = []  # what got worse first, then the rules broken
    rules: list[tuple[str, Source]] = []
    worse_up = worse_down = False
    new_only = True  # every rise on a 越少越好 indicator from nothing (新增)
    levels: set[str] = set()
    for row in rows:
        worse = _worse(row)
        said_already = SAID_BY_CHANGE if worse else ()
        warnings = [w for w in row["warnings"] or [] if w.get("rule") not in said_already]
        levels |= {str(w.get("level")) for w in warnings[:1]}
        if worse:  # its figures, then the rule it breaks without saying them twice
            said, basis = figures_and_rule(row, warnings[:1], before, after)
            moves.append((said, Source(said, "engine", basis)))
            worse_up |= row["direction"] == LOWER
            new_only &= row["direction"] != LOWER or row["verdict"] == NEW
            worse_down |= row["direction"] == HIGHER
            continue
        for warning in warnings[:1]:  # one threshold per indicator is enough in running text
            said = _example(warning) + str(warning["message"])
            rules.append((said, Source(said, "threshold", threshold_basis(row, warning))))
    evidence = moves + rules
    if not evidence:
        return None
    # a rule of the 中央 or a 省 is a 规定; a local or example threshold only a 要求
    gap = f"与{_strongest(levels)}仍有差距"
    # “有所反弹” would play down 10 → 40 groups (+300%); “出现” says it happened, not how much;
    # from nothing (0 → 3) nothing came back: “反弹” would claim a cut the data does not show
    rose = "出现新问题" if new_only else "出现反弹"
    moved = rose if worse_up else ("出现下滑" if worse_down else gap)
    topic = (
        f"{area_name(category)}方面{moved}"  # one shape for every point: they stand side by side
    )
    bases = "；".join(s.basis for _, s in evidence)
    text = join(*(said for said, _ in evidence), suffix, sep="；")
    kinds = {s.kind for _, s in evidence}
    sources = [Source(topic, "engine" if "engine" in kinds else "threshold", bases)]
    for said, source in evidence:
        sources += sources_of(said, source.kind, source.basis)
    sources += sources_of(suffix, "template", "体裁模板的固定文字")
    return Paragraph(text, "point", topic, origin="data", sources=sources)


def figures_and_rule(
    row: dict, warnings: Sequence[dict], before: str, after: str
) -> tuple[str, str]:
    """A row's before → after and, in the same sentence, the rules it breaks, and its basis.

    The warning's own message repeats the figures (“……至少压减50%，当前较2023年减少
    39.66%” after “由58项压减为35项，减少39.66%”); beside them only the rule is said.
    """
    said = change_sentence(row)
    bases = [engine_basis(row, before, after)]
    for warning in warnings:
        said += f"，{breaks_rule(warning)}"
        bases.append(threshold_basis(row, warning))
    return said, "；".join(bases)


def breaks_rule(warning: dict) -> str:
    """“不符合‘……’的规定”: a rule of the 中央 or a 省 is a 规定, any other a 要求."""
    rule = rule_of(str(warning["message"])).replace("“", "‘").replace("”", "’")
    if warning.get("level") == EXAMPLE_LEVEL:
        return f"未达到其他单位“{rule}”的做法"
    return f"不符合“{rule}”的{_strongest({str(warning.get('level'))})}"


def _strongest(levels: set[str]) -> str:
    """What the rules broken are: 规定 (中央, 省), 要求 (地方, 自定义), or (与)其他单位相比."""
    if levels & RULE_LEVELS:
        return "规定"
    return "其他单位相比" if levels <= {EXAMPLE_LEVEL} else "要求"


def _example(warning: dict) -> str:
    """“对照其他单位的做法，” before an example threshold's message."""
    return "对照其他单位的做法，" if warning.get("level") == EXAMPLE_LEVEL else ""


def _finding_point(finding: SurveyFinding, join: Joiner, suffix: str) -> Paragraph:
    topic = finding.topic or "干部自评反映的问题"
    text = join(finding.text, suffix)
    sources = [Source(topic, finding.kind, finding.basis)]
    sources += sources_of(finding.text, finding.kind, finding.basis)
    sources += sources_of(suffix, "template", "体裁模板的固定文字")
    return Paragraph(text, "point", topic, origin="finding", sources=sources)


def _append(paragraph: Paragraph, finding: SurveyFinding, join: Joiner, suffix: str) -> None:
    body = paragraph.text
    if suffix and body.endswith(suffix):
        body = body[: -len(suffix)]
    paragraph.text = join(body, finding.text, suffix)
    paragraph.sources += sources_of(finding.text, finding.kind, finding.basis)


def problem_rows(rows: list[dict]) -> list[dict]:
    """The rows that are evidence of a problem: worse, or breaking a threshold."""
    return [r for r in rows if _worse(r) or (r["warnings"] or [])]


def _worse(row: dict) -> bool:
    return unfavourable(row["verdict"], row["direction"])


def _as_finding(finding: SurveyFinding | str) -> SurveyFinding:
    if isinstance(finding, SurveyFinding):
        return finding
    return SurveyFinding(str(finding), basis="撰写人提供的自评发现")
