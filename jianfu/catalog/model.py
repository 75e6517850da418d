"""The indicator catalog's model: what can be measured, in which unit, which way is better."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Annotated, Literal

from ..datafiles import Code, DataModel, Derived, Label, Problems, Text, broken
from ..numbers.format import plain
from .directions import DIRECTIONS

CATEGORIES = (
    "文件",
    "会议",
    "督检考",
    "报表台账",
    "指尖负担",
    "借调",
    "人员下沉",
    "关爱赋能",
    "成效",
)
KINDS = ("count", "duration", "amount", "percent", "ratio")
AGGREGATE_LABELS = {
    "sum": "求和",
    "mean": "平均",
    "max": "取最大",
    "min": "取最小",
    "none": "不汇总",
    "ratio": "由分子、分母之和重新计算",
}
KIND_LABELS = {
    "count": "计数",
    "duration": "时长",
    "amount": "数量",
    "percent": "百分比",
    "ratio": "比例（计算）",
}
AGGREGATES = ("sum", "mean", "max", "min", "none")  # none: a combined unit has no value
STORED_AGGREGATES = (*AGGREGATES, "ratio")  # ratio: recomputed from the summed parts
RULES = ("max", "min", "not_above_previous", "min_reduction_pct")
RULE_LABELS = {
    "max": "不超过",
    "min": "不低于",
    "not_above_previous": "不超过上一时期",
    "min_reduction_pct": "较基期至少减少",
}
LEVELS = ("中央", "省", "地方", "示例")


@dataclass(frozen=True)
class Threshold(DataModel):
    """A warning rule (预警) with where it comes from.

    ``text`` is the rule in its own words (“原则上不得从县级以下借调干部”), which a
    warning quotes; without it the rule is described from its value.
    """

    __entry__ = "预警规则第{n}条"

    rule: Annotated[Literal[RULES], Label("规则", RULE_LABELS)]
    level: Annotated[Literal[LEVELS], Label("级别")]
    source: Annotated[str, Text("出处")]
    value: Annotated[float | None, Label("阈值")] = None
    text: Annotated[str, Text("规定原文", required=False)] = ""

    def describe(self, measure: str) -> str:
        """Chinese wording of the rule, e.g. “不超过60分钟”."""
        v = plain(self.value)
        return {
            "max": f"不超过{v}{measure}",
            "min": f"不低于{v}{measure}",
            "not_above_previous": "不超过上一时期",
            "min_reduction_pct": f"较基期至少减少{v}%",
        }[self.rule]

    def validated(self) -> Threshold:
        if self.rule != "not_above_previous" and self.value is None:
            found = Problems()
            found.add("value", f"规则“{self.rule}”（{RULE_LABELS[self.rule]}）须填写{{field}}")
            found.raise_if_any()
        return self


@dataclass(frozen=True)
class Indicator(DataModel):
    """One indicator of the catalog (or a user's custom one)."""

    __entry__ = "第{n}项"
    __entry_id__ = ("code", "name")

    code: Annotated[str, Code("指标代码", longest=48)]
    name: Annotated[str, Text("指标名称")]
    category: Annotated[Literal[CATEGORIES], Label("类别")]
    measure: Annotated[str, Text("计量单位")]
    direction: Annotated[Literal[DIRECTIONS], Label("方向")]
    kind: Annotated[Literal[KINDS], Label("类型", KIND_LABELS)]
    aggregate: Annotated[Literal[STORED_AGGREGATES], Label("汇总方式", AGGREGATE_LABELS)] = "sum"
    numerator: Annotated[str | None, Label("分子")] = None
    denominator: Annotated[str | None, Label("分母")] = None
    # for a mean: the count each unit's value stands for (发文数量)
    weight: Annotated[str | None, Label("权数")] = None
    thresholds: Annotated[tuple[Threshold, ...], Label("预警规则")] = ()
    description: Annotated[str, Text("说明", required=False, lines=True)] = ""
    # the one name used in running text, e.g. 借调基层干部人数 -> 借调干部
    short: Annotated[str, Text("简称", required=False)] = ""
    # other names a spreadsheet header may use (former names)
    aliases: Annotated[tuple[Annotated[str, Text("别名")], ...], Label("别名")] = ()
    custom: Annotated[bool, Derived("自定义")] = False

    @property
    def is_ratio(self) -> bool:
        return self.kind == "ratio"

    @property
    def is_rate(self) -> bool:
        """Values are percentages, so changes are also said in 个百分点."""
        return self.kind in ("ratio", "percent")

    @property
    def entered(self) -> bool:
        """Ratios are computed from their parts and never typed in."""
        return self.kind != "ratio"

    @property
    def label(self) -> str:
        """Form and column label, e.g. “发文数量（件）”."""
        return f"{self.name}（{self.measure}）"

    def validated(self) -> Indicator:
        found = Problems()
        if self.is_ratio:
            for part in ("numerator", "denominator"):
                if not getattr(self, part):
                    found.add(part, "比例（ratio）类型必须填写{field}")
        elif self.aggregate == "ratio":
            found.add("aggregate", "{field}“ratio”只用于由分子、分母计算的比例（kind: ratio）")
        if self.kind == "percent" and self.aggregate == "sum":
            found.add(
                "aggregate",
                "百分比不能相加：{field}请选“不汇总”（none），或改为由分子、分母计算的比例，汇总时重新计算",
            )
        _weight_problems(self, found)
        found.raise_if_any()
        return replace(
            self,
            aggregate="ratio" if self.is_ratio else self.aggregate,
            short=self.short or self.name,
        )


def _weight_problems(ind: Indicator, found: Problems) -> None:
    """A weight goes with a mean only; a rate typed in is only averaged with one.

    Averaging two towns' 满意率 (70% of 10 people, 90% of 30) as 80% misstates the
    county's 85%: without a count to weigh by, a percent is not rolled up at all.
    """
    if ind.weight and ind.aggregate != "mean":
        found.add("weight", "{field}只用于平均（aggregate: mean）")
    if ind.kind == "percent" and ind.aggregate == "mean" and not ind.weight:
        found.add(
            "weight",
            "百分比不能直接平均：请填{field}（各单位百分比所依据的人数等计数指标，如调查人数），"
            "或选“不汇总”（none）",
        )


@dataclass(frozen=True)
class CatalogFile(DataModel):
    """data/indicators.yaml: the entries, and the rules between them (codes, names, parts)."""

    indicators: Annotated[tuple[Indicator, ...], Label("指标")]

    def validated(self) -> CatalogFile:
        found = Problems()
        _duplicates(self.indicators, "code", found)
        _duplicates(self.indicators, "name", found)
        by_code = {i.code: i for i in self.indicators}
        for n, ind in enumerate(self.indicators):
            parts = ("numerator", "denominator") if ind.is_ratio else ()
            for part in (*parts, "weight") if ind.weight else parts:
                _count_part(ind, part, by_code, ("indicators", n, part), found)
            if ind.is_ratio and ind.numerator == ind.denominator:
                found.add(("indicators", n, "denominator"), "分子和分母不能是同一个指标")
        found.raise_if_any()
        return self


def _duplicates(indicators: tuple[Indicator, ...], key: str, found: Problems) -> None:
    first: dict[str, int] = {}
    for n, ind in enumerate(indicators):
        value = getattr(ind, key)
        if value in first:
            found.add(
                ("indicators", n, key), f"{{field}}“{value}”重复（与第{first[value] + 1}项相同）"
            )
        first.setdefault(value, n)


def _count_part(ind, part: str, by_code: dict, where: tuple, found: Problems) -> None:
    """A ratio's numerator and denominator, and a mean's weight, are count indicators."""
    code = getattr(ind, part)
    target = by_code.get(code)
    if target is None:
        if code not in broken("indicators", "code"):
            found.add(where, f"{{field}}“{code}”不存在：目录中没有这个指标代码")
    elif target.kind != "count":
        kind = KIND_LABELS.get(target.kind, target.kind)
        found.add(where, f"{{field}}“{code}”必须是计数类指标（count），而它是{kind}类")


@dataclass(frozen=True)
class Catalog:
    indicators: tuple[Indicator, ...]
    _by_code: dict[str, Indicator] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_code.update({i.code: i for i in self.indicators})

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Indicator:
        return self._by_code[code]

    def get(self, code: str) -> Indicator | None:
        return self._by_code.get(code)

    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def by_category(self) -> dict[str, list[Indicator]]:
        """Indicators grouped by category, in the canonical category order."""
        groups: dict[str, list[Indicator]] = {c: [] for c in CATEGORIES}
        for ind in self.indicators:
            groups.setdefault(ind.category, []).append(ind)
        return {c: items for c, items in groups.items() if items}

    def match(self, header: str) -> Indicator | None:
        """Find an indicator from a column header: code, name, or “名称（单位）”."""
        text = str(header).strip()
        if text in self._by_code:
            return self._by_code[text]
        bare = re.sub(r"[（(][^）)]*[）)]\s*$", "", text).strip()
        for ind in self.indicators:
            if text in (ind.name, ind.label) or bare == ind.name or bare in ind.aliases:
                return ind
        return None

    def with_custom(self, extra: Iterable[Indicator]) -> Catalog:
        """This catalog plus user-defined indicators (validated against it)."""
        merged = list(self.indicators)
        for ind in extra:
            if ind.code in self._by_code:
                continue
            merged.append(ind)
        return Catalog(tuple(merged))
