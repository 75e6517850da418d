"""Loading the catalog YAML and validating every entry, with Chinese messages.

A broken entry is reported by its position, code and field, so an organisation
can fix its own catalog file without reading code.
"""

from __future__ import annotations

from pathlib import Path

from ..datafiles import read_yaml
from ..errors import CatalogError
from ..paths import DATA_FILES
from .directions import DIRECTIONS
from .model import (
    AGGREGATES,
    CATEGORIES,
    CODE_PATTERN,
    FIELD_LABELS,
    KINDS,
    LEVELS,
    RULES,
    Catalog,
    Indicator,
    Threshold,
)

DEFAULT_CATALOG = DATA_FILES / "indicators.yaml"


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate the catalog YAML.

    Raises
    ------
    CatalogError
        with every problem found, each naming the entry and the field.
    """
    path = Path(path) if path else DEFAULT_CATALOG
    data = read_yaml(path, "指标目录", CatalogError)
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
            errors.append(f"缺少{_field(key)}")
    code = str(entry.get("code") or "")
    if code and not CODE_PATTERN.match(code):
        errors.append(f"{_field('code')}应为小写英文字母开头的字母、数字或下划线，而不是“{code}”")
    _check_choice(entry, "category", CATEGORIES, errors)
    _check_choice(entry, "direction", DIRECTIONS, errors)
    _check_choice(entry, "kind", KINDS, errors)
    kind = entry.get("kind")
    if kind == "ratio":
        for key in ("numerator", "denominator"):
            if not entry.get(key):
                errors.append(f"比例（ratio）类型必须填写{_field(key)}")
    elif entry.get("aggregate") is not None:
        _check_choice(entry, "aggregate", AGGREGATES, errors)
    if kind == "percent" and (entry.get("aggregate") or "sum") == "sum":
        errors.append(
            f"百分比不能相加：{_field('aggregate')}请选“不汇总”（none），"
            "或改为由分子、分母计算的比例，汇总时重新计算"
        )
    errors += _weight_problems(entry)
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        errors.append(f"{_field('aliases')}应为文字列表")
        aliases = []
    thresholds = []
    raw = entry.get("thresholds") or []
    if not isinstance(raw, list):
        errors.append(f"{_field('thresholds')}应为列表")
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
        weight=entry.get("weight") or None,
        thresholds=tuple(thresholds),
        description=str(entry.get("description") or ""),
        short=str(entry.get("short") or entry["name"]).strip(),
        aliases=tuple(a.strip() for a in aliases),
        custom=custom,
    )


def _weight_problems(entry: dict) -> list[str]:
    """A weight goes with a mean only; a rate typed in is only averaged with one.

    Averaging two towns' 满意率 (70% of 10 people, 90% of 30) as 80% misstates the
    county's 85%: without a count to weigh by, a percent is not rolled up at all.
    """
    weight, aggregate = entry.get("weight"), entry.get("aggregate")
    if weight not in (None, "") and aggregate != "mean":
        return [f"{_field('weight')}只用于平均（aggregate: mean）"]
    if entry.get("kind") == "percent" and aggregate == "mean" and not weight:
        return [
            f"百分比不能直接平均：请填{_field('weight')}（各单位百分比所依据的人数等计数指标，"
            "如调查人数），或选“不汇总”（none）"
        ]
    return []


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
    if t.get("text") is not None and not isinstance(t.get("text"), str):
        return ["字段“text”（规定原文）应为文字"], None
    return [], Threshold(
        rule=t["rule"],
        level=t["level"],
        source=str(t["source"]),
        value=None if value is None else float(value),
        text=str(t.get("text") or "").strip(),
    )


def _check_choice(entry: dict, key: str, choices: tuple, errors: list, required=False) -> None:
    value = entry.get(key)
    if value is None:
        if required:
            errors.append(f"缺少{_field(key)}")
        return
    if value not in choices:
        errors.append(f"{_field(key)}的值“{value}”无效，应为：{'、'.join(choices)}")


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
        if ind.weight is not None:
            target = by_code.get(ind.weight)
            if target is None:
                problems.append(f"{source}：指标“{ind.code}”的权数“{ind.weight}”不存在")
            elif target.kind != "count":
                problems.append(f"{source}：指标“{ind.code}”的权数“{ind.weight}”必须是计数类指标")
        if not ind.is_ratio:
            continue
        for part in (ind.numerator, ind.denominator):
            target = by_code.get(part)
            if target is None:
                problems.append(f"{source}：指标“{ind.code}”引用的分子/分母“{part}”不存在")
            elif target.is_ratio or target.kind == "percent":
                problems.append(f"{source}：指标“{ind.code}”的分子/分母“{part}”必须是计数类指标")
    return problems


def _field(key: str) -> str:
    """A field as a message names it: “计量单位”（measure）."""
    label = FIELD_LABELS.get(key)
    return f"字段“{label}”（{key}）" if label else f"字段“{key}”"
