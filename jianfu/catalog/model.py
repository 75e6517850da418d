"""The indicator catalog's model: what can be measured, in which unit, which way is better."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..numbers.format import plain

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
# the catalog's fields in the words of the form, for messages
FIELD_LABELS = {
    "code": "指标代码",
    "name": "指标名称",
    "category": "类别",
    "measure": "计量单位",
    "direction": "方向",
    "kind": "类型",
    "aggregate": "汇总方式",
    "numerator": "分子",
    "denominator": "分母",
    "weight": "权数",
    "thresholds": "预警规则",
    "aliases": "别名",
}
KIND_LABELS = {
    "count": "计数",
    "duration": "时长",
    "amount": "数量",
    "percent": "百分比",
    "ratio": "比例（计算）",
}
AGGREGATES = ("sum", "mean", "max", "min", "none")  # none: a combined unit has no value
RULES = ("max", "min", "not_above_previous", "min_reduction_pct")
LEVELS = ("中央", "省", "地方", "示例")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,47}$")


@dataclass(frozen=True)
class Threshold:
    """A warning rule (预警) with where it comes from.

    ``text`` is the rule in its own words (“原则上不得从县级以下借调干部”), which a
    warning quotes; without it the rule is described from its value.
    """

    rule: str
    level: str
    source: str
    value: float | None = None
    text: str = ""

    def describe(self, measure: str) -> str:
        """Chinese wording of the rule, e.g. “不超过60分钟”."""
        v = plain(self.value)
        return {
            "max": f"不超过{v}{measure}",
            "min": f"不低于{v}{measure}",
            "not_above_previous": "不超过上一时期",
            "min_reduction_pct": f"较基期至少减少{v}%",
        }[self.rule]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    category: str
    measure: str
    direction: str
    kind: str
    aggregate: str = "sum"  # "ratio" for ratios: recomputed from summed parts
    numerator: str | None = None
    denominator: str | None = None
    weight: str | None = None  # for a mean: the count each unit's value stands for (发文数量)
    thresholds: tuple[Threshold, ...] = ()
    description: str = ""
    short: str = ""  # the one name used in running text, e.g. 借调基层干部人数 -> 借调干部
    aliases: tuple[str, ...] = ()  # other names a spreadsheet header may use (former names)
    custom: bool = False

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
