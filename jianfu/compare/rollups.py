"""What a combined unit's figure is, in the words every table, chart and sentence uses.

When units are combined, most figures are sums, and ratios are recomputed from
summed parts; both are what a reader takes a 合计 to be. Some are not: 主讲话时长
of two towns is the longer of the two (max), 单件文件平均字数 is a mean weighted
by 发文数量, a custom indicator may be an unweighted mean. Such rows carry a label
(“两镇中最长”, “按发文数量加权平均”, “两镇简单平均”) wherever they are shown, so
no one reads the longest speech as a total. A rate typed in (满意率) is not rolled
up at all unless the catalog names its weight, and the reason is said.

The engine puts two columns on every row: ``rollup`` (the rule, "" for a single
unit) and ``rollup_label`` (the words, "" when none are needed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..catalog import Catalog, Indicator

SUM, RATIO, MAX, MIN, MEAN, WEIGHTED, NONE = (
    "sum",
    "ratio",
    "max",
    "min",
    "mean",
    "weighted",
    "none",
)
EXTREMES = {
    MAX: {"duration": "最长", "count": "最多", "percent": "最高"},
    MIN: {"duration": "最短", "count": "最少", "percent": "最低"},
}
EXTREME_DEFAULT = {MAX: "最大", MIN: "最小"}
ANY_MEMBERS = "各单位"  # when the members are not known by name


def rule_of(ind: Indicator) -> str:
    """sum / ratio / max / min / mean / weighted / none: how the catalog combines it."""
    if ind.is_ratio:
        return RATIO
    if ind.aggregate == MEAN and ind.weight:
        return WEIGHTED
    return ind.aggregate


def label_of(ind: Indicator, catalog: Catalog, phrase: str = ANY_MEMBERS) -> str:
    """The words a combined row carries: “两镇中最长”, “按发文数量加权平均”; "" for a sum."""
    rule = rule_of(ind)
    if rule in EXTREMES:
        return f"{phrase}中{EXTREMES[rule].get(ind.kind, EXTREME_DEFAULT[rule])}"
    if rule == WEIGHTED:
        weight = catalog.get(ind.weight)
        return f"按{weight.name if weight else ind.weight}加权平均"
    if rule == MEAN:
        return f"{phrase}简单平均"
    return ""


def rollup_words(
    catalog: Catalog, grouped: bool, phrase: str | None
) -> tuple[list[str], list[str]]:
    """Per catalog indicator: the ``rollup`` rule and ``rollup_label`` ("" for one unit).

    The engine takes these by each row's catalog position, so 440,000 rows cost
    one lookup per indicator, not per row.
    """
    if not grouped:
        return [""] * len(catalog), [""] * len(catalog)
    inds = list(catalog)
    return [rule_of(i) for i in inds], [label_of(i, catalog, phrase or ANY_MEMBERS) for i in inds]


def _text(row: Mapping[str, object], key: str) -> str:
    value = row.get(key)
    return value if isinstance(value, str) else ""  # absent or NaN in hand-made tables


def labelled(name: str, row: Mapping[str, object]) -> str:
    """A name with its roll-up label: 主讲话时长（两镇中最长）; unchanged for a sum."""
    label = _text(row, "rollup_label")
    return f"{name}（{label}）" if label else name


def owns_subject(row: Mapping[str, object]) -> bool:
    """True when the row's words name the members themselves (两镇中最长的…)."""
    return _text(row, "rollup") in EXTREMES and bool(_text(row, "rollup_label"))


def is_total(row: Mapping[str, object]) -> bool:
    """A single unit's figure, a sum or a ratio of sums: may be said among totals."""
    return _text(row, "rollup") in ("", SUM, RATIO)


def subject(name: str, row: Mapping[str, object]) -> str:
    """How a sentence names the figure: “两镇中最长的主讲话时长”, “单次会议时长（按…加权平均）”."""
    if owns_subject(row):
        return f"{_text(row, 'rollup_label')}的{name}"
    return labelled(name, row)


def not_rolled_records(codes: Iterable[str], catalog: Catalog) -> list[dict]:
    """Indicators the members have but the group has not, with the reason in words."""
    return [
        {"indicator": code, "name": catalog[code].name, "reason": _reason(catalog[code])}
        for code in codes
    ]


def _reason(ind: Indicator) -> str:
    if ind.kind == "percent":
        return "直接填写的百分比不能相加，也不能直接平均（目录未给出调查人数等权数）"
    return "指标目录规定该指标不汇总"


def not_rolled_sentence(records: Iterable[Mapping[str, object]]) -> str:
    """“干部对减负成效满意率未汇总：直接填写的百分比不能相加，也不能直接平均（…）”."""
    by_reason: dict[str, list[str]] = {}
    for record in records:
        by_reason.setdefault(str(record["reason"]), []).append(str(record["name"]))
    return "；".join(f"{'、'.join(names)}未汇总：{why}" for why, names in by_reason.items())
