"""The indicator catalog: what can be measured, in which unit, and which way is better.

The catalog is a YAML file (data/indicators.yaml) so an organisation can adapt it
without touching code; every entry is validated on load and a broken entry is
reported by its position, code and field in Chinese.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import CatalogError
from .paths import DATA_FILES

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
DIRECTIONS = ("越少越好", "越多越好", "中性")
KINDS = ("count", "duration", "amount", "percent", "ratio")
KIND_LABELS = {
    "count": "计数",
    "duration": "时长",
    "amount": "数量",
    "percent": "百分比",
    "ratio": "比例（计算）",
}
AGGREGATES = ("sum", "mean", "max", "min")
RULES = ("max", "min", "not_above_previous", "min_reduction_pct")
LEVELS = ("中央", "省", "地方", "示例")
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,47}$")

DEFAULT_CATALOG = DATA_FILES / "indicators.yaml"


@dataclass(frozen=True)
class Threshold:
    """A warning rule (预警) with where it comes from."""

    rule: str
    level: str
    source: str
    value: float | None = None

    def describe(self, measure: str) -> str:
        """Chinese wording of the rule, e.g. “不超过60分钟”."""
        v = _plain(self.value)
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
    thresholds: tuple[Threshold, ...] = ()
    description: str = ""
    short: str = ""  # short name for sentences, e.g. 发文数量 -> 文件
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
            if text in (ind.name, ind.label) or bare == ind.name:
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


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate the catalog YAML.

    Raises
    ------
    CatalogError
        with every problem found, each naming the entry and the field.
    """
    path = Path(path) if path else DEFAULT_CATALOG
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError(f"找不到指标目录文件：{path}") from None
    except UnicodeDecodeError:
        raise CatalogError(f"指标目录文件不是UTF-8编码：{path.name}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列" if mark else ""
        raise CatalogError(f"指标目录文件“{path.name}”{where}格式错误（YAML无法解析）") from None
    return parse_catalog(data, source=path.name)


def parse_catalog(data: object, source: str = "指标目录") -> Catalog:
    """Validate already-parsed YAML data and build the catalog."""
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), list):
        raise CatalogError(f"{source}：顶层应为“indicators:”列表")
    problems: list[str] = []
    indicators: list[Indicator] = []
    for pos, entry in enumerate(data["indicators"], start=1):
        errors, ind = _parse_entry(entry)
        name = entry.get("code") if isinstance(entry, dict) else None
        problems += [f"{source} 第{pos}项（{name or '无代码'}）：{e}" for e in errors]
        if ind:
            indicators.append(ind)
    problems += _check_whole(indicators, source)
    if problems:
        raise CatalogError("\n".join(problems))
    return Catalog(tuple(indicators))


def indicator_from_dict(entry: dict, custom: bool = False) -> Indicator:
    """Build one indicator (e.g. a user's custom one), raising CatalogError if invalid."""
    errors, ind = _parse_entry(entry, custom=custom)
    if errors or ind is None:
        raise CatalogError("；".join(errors))
    return ind


def _parse_entry(entry: object, custom: bool = False) -> tuple[list[str], Indicator | None]:
    if not isinstance(entry, dict):
        return ["应为“字段: 值”的映射"], None
    errors: list[str] = []
    for key in ("code", "name", "category", "measure", "direction", "kind"):
        if entry.get(key) in (None, ""):
            errors.append(f"缺少字段“{key}”")
    code = str(entry.get("code") or "")
    if code and not CODE_PATTERN.match(code):
        errors.append(f"字段“code”应为小写英文字母开头的字母、数字或下划线，而不是“{code}”")
    _check_choice(entry, "category", CATEGORIES, errors)
    _check_choice(entry, "direction", DIRECTIONS, errors)
    _check_choice(entry, "kind", KINDS, errors)
    kind = entry.get("kind")
    if kind == "ratio":
        for key in ("numerator", "denominator"):
            if not entry.get(key):
                errors.append(f"ratio 类型必须填写字段“{key}”")
    elif entry.get("aggregate") is not None:
        _check_choice(entry, "aggregate", AGGREGATES, errors)
    thresholds = []
    raw = entry.get("thresholds") or []
    if not isinstance(raw, list):
        errors.append("字段“thresholds”应为列表")
        raw = []
    for n, t in enumerate(raw, start=1):
        t_errors, threshold = _parse_threshold(t)
        errors += [f"thresholds 第{n}条：{e}" for e in t_errors]
        if threshold:
            thresholds.append(threshold)
    if errors:
        return errors, None
    return [], Indicator(
        code=code,
        name=str(entry["name"]).strip(),
        category=entry["category"],
        measure=str(entry["measure"]),
        direction=entry["direction"],
        kind=kind,
        aggregate="ratio" if kind == "ratio" else entry.get("aggregate") or "sum",
        numerator=entry.get("numerator"),
        denominator=entry.get("denominator"),
        thresholds=tuple(thresholds),
        description=str(entry.get("description") or ""),
        short=str(entry.get("short") or entry["name"]).strip(),
        custom=custom,
    )


def _parse_threshold(t: object) -> tuple[list[str], Threshold | None]:
    if not isinstance(t, dict):
        return ["应为映射"], None
    errors: list[str] = []
    _check_choice(t, "rule", RULES, errors, required=True)
    _check_choice(t, "level", LEVELS, errors, required=True)
    if not t.get("source"):
        errors.append("缺少字段“source”（出处）")
    value = t.get("value")
    if t.get("rule") != "not_above_previous":
        if isinstance(value, bool) or not isinstance(value, int | float):
            errors.append("字段“value”应为数字")
    if errors:
        return errors, None
    return [], Threshold(
        rule=t["rule"],
        level=t["level"],
        source=str(t["source"]),
        value=None if value is None else float(value),
    )


def _check_choice(entry: dict, key: str, choices: tuple, errors: list, required=False) -> None:
    value = entry.get(key)
    if value is None:
        if required:
            errors.append(f"缺少字段“{key}”")
        return
    if value not in choices:
        errors.append(f"字段“{key}”的值“{value}”无效，应为：{'、'.join(choices)}")


def _check_whole(indicators: list[Indicator], source: str) -> list[str]:
    problems = []
    seen_codes: set[str] = set()
    seen_names: set[str] = set()
    for ind in indicators:
        if ind.code in seen_codes:
            problems.append(f"{source}：指标代码“{ind.code}”重复")
        if ind.name in seen_names:
            problems.append(f"{source}：指标名称“{ind.name}”重复")
        seen_codes.add(ind.code)
        seen_names.add(ind.name)
    by_code = {i.code: i for i in indicators}
    for ind in indicators:
        if not ind.is_ratio:
            continue
        for part in (ind.numerator, ind.denominator):
            target = by_code.get(part)
            if target is None:
                problems.append(f"{source}：指标“{ind.code}”引用的分子/分母“{part}”不存在")
            elif target.is_ratio or target.kind == "percent":
                problems.append(f"{source}：指标“{ind.code}”的分子/分母“{part}”必须是计数类指标")
    return problems


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
