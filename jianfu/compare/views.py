"""The model behind the 对比 app: a selection in, tables and sentences out.

Everything here is built from the compare engine's output, so the app, the CLI
and (later) speech drafts show the same figures.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..catalog import Catalog
from ..numfmt import POINTS, fmt_signed, fmt_value, is_missing, round_half_up, value_digits
from .engine import compare
from .ranking import rank
from .sentences import summary_sentences, trend_sentence
from .thresholds import ThresholdOptions, describe_warnings
from .trend import trend

TABLE_LABELS = {
    "unit": "单位",
    "category": "类别",
    "name": "指标",
    "before": "基期",
    "after": "比较期",
    "change": "变化",
    "pct_change": "变化率",
    "verdict": "判断",
}


@dataclass(frozen=True)
class Selection:
    """What the user picked; empty tuples mean “all”."""

    units: tuple[str, ...] = ()
    group: str | None = None
    before: str | None = None
    after: str | None = None
    periods: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    disabled_levels: frozenset[str] = field(default_factory=frozenset)
    overrides: tuple[tuple[str, float], ...] = ()  # (indicator code, the user's own threshold)
    rank_by: str | None = None  # an indicator code, or None for the share of indicators improved

    @property
    def thresholds(self) -> ThresholdOptions:
        return ThresholdOptions(
            disabled_levels=self.disabled_levels, overrides=dict(self.overrides)
        )


@dataclass(frozen=True)
class Comparison:
    table: pd.DataFrame
    ranking: pd.DataFrame | None
    sentences: list[str]

    @property
    def warnings(self) -> pd.DataFrame:
        return warnings_frame(self.table)


def default_selection(obs: pd.DataFrame, periods: list[str]) -> Selection:
    """The pair of periods sharing most values, and the units with data in both.

    So the app shows something meaningful on the demo data from the first click.
    """
    if obs.empty or len(periods) < 2:
        return Selection()
    present = obs.groupby("period")[["unit", "indicator"]].apply(
        lambda g: set(zip(g["unit"], g["indicator"], strict=True))
    )
    best, pair = -1, (periods[0], periods[1])
    for b, a in zip(periods, periods[1:], strict=False):
        shared = len(present.get(b, set()) & present.get(a, set()))
        if shared > best:
            best, pair = shared, (b, a)
    both = {u for u, _ in present.get(pair[0], set())} & {u for u, _ in present.get(pair[1], set())}
    units = tuple(u for u in obs["unit"].drop_duplicates() if u in both)
    return Selection(units=units, before=pair[0], after=pair[1])


def run_comparison(obs: pd.DataFrame, catalog: Catalog, sel: Selection) -> Comparison:
    """Compare the selection's two periods; rank units when there are several."""
    table = compare(
        obs,
        catalog,
        sel.before,
        sel.after,
        units=list(sel.units) or None,
        group=sel.group or None,
        thresholds=sel.thresholds,
    )
    if sel.categories:
        table = table[table["category"].isin(sel.categories)]
    units = list(table["unit"].drop_duplicates())
    ranking = None
    if len(units) > 1 and (sel.rank_by is None or sel.rank_by in set(table["indicator"])):
        ranking = rank(table, indicator=sel.rank_by)
    sentences = [s for unit in units for s in summary_sentences(table, unit, unit=unit)]
    return Comparison(table, ranking, sentences)


def run_trend(
    obs: pd.DataFrame, catalog: Catalog, sel: Selection
) -> tuple[pd.DataFrame, list[str]]:
    """Multi-period values and the 逐年递减 verdict, with one sentence per row."""
    periods = list(sel.periods)
    table = trend(obs, catalog, periods, units=list(sel.units) or None, group=sel.group or None)
    if sel.categories:
        codes = {i.code for i in catalog if i.category in sel.categories}
        table = table[table["indicator"].isin(codes)]
    sentences = [
        f"{row.unit}{trend_sentence(row._asdict(), periods)}" for row in table.itertuples()
    ]
    return table, sentences


def table_view(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison as the user reads it: Chinese headers, formatted figures."""
    rows = []
    for row in table.itertuples(index=False):
        digits = value_digits(row.kind)
        # a rate moves in 个百分点; its relative change goes in the 变化率 column
        unit_of_change = POINTS if row.kind in ("ratio", "percent") else row.measure
        rows.append(
            {
                "单位": row.unit,
                "类别": row.category,
                "指标": row.name,
                "基期": fmt_value(row.before, row.measure, digits),
                "比较期": fmt_value(row.after, row.measure, digits),
                "变化": fmt_signed(row.change, unit_of_change, digits),
                "变化率": fmt_signed(row.pct_change, "%"),
                "判断": row.verdict,
                "预警": "；".join(w["message"] for w in row.warnings),
            }
        )
    return pd.DataFrame(
        rows, columns=["单位", "类别", "指标", "基期", "比较期", "变化", "变化率", "判断", "预警"]
    )


def export_view(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison for Excel: figures stay numbers (rounded as shown), headers in Chinese."""

    def rounded(column: str) -> list[float | None]:
        return [None if is_missing(v) else float(round_half_up(v)) for v in table[column]]

    return pd.DataFrame(
        {
            "单位": table["unit"],
            "类别": table["category"],
            "指标": table["name"],
            "计量单位": table["measure"],
            "基期": rounded("before"),
            "比较期": rounded("after"),
            "变化": rounded("change"),
            "变化率（%）": rounded("pct_change"),
            "变化（个百分点）": rounded("pp_change"),
            "判断": table["verdict"],
            "预警": ["；".join(w["message"] for w in ws) for ws in table["warnings"]],
        }
    )


def warnings_frame(table: pd.DataFrame) -> pd.DataFrame:
    """One row per warning, with its level and source, for the 预警 list."""
    rows = [
        {
            "单位": r.unit,
            "指标": r.name,
            "级别": w["level"],
            "预警": w["message"],
            "出处": w["source"],
        }
        for r in table.itertuples(index=False)
        for w in r.warnings
    ]
    return pd.DataFrame(rows, columns=["单位", "指标", "级别", "预警", "出处"])


def trend_view(table: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Multi-period values side by side, with the direction-aware verdict on the run."""
    rows = []
    for row in table.itertuples(index=False):
        digits = value_digits(row.kind)
        values = {
            p: fmt_value(v, row.measure, digits) for p, v in zip(periods, row.values, strict=True)
        }
        rows.append({"单位": row.unit, "指标": row.name, **values, "趋势": _run_verdict(row)})
    return pd.DataFrame(rows, columns=["单位", "指标", *periods, "趋势"])


def _run_verdict(row) -> str:
    seen = [v for v in row.values if not pd.isna(v)]
    if len(seen) < 2 or row.direction == "中性":
        return "—" if len(seen) >= 2 else "数据不足"
    if row.direction == "越少越好":
        return "逐年递减" if row.monotone_decrease else f"未实现逐年递减（{row.first_break}）"
    rising = all(b > a for a, b in zip(seen, seen[1:], strict=False))
    return "逐年递增" if rising else "未实现逐年递增"


RECORD_KEYS = (
    "unit", "indicator", "name", "short", "measure", "direction", "kind",
    "before", "after", "change", "pct_change", "pp_change", "verdict", "warnings",
)  # fmt: skip


def compare_records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of a :func:`compare` table: plain Python values, None for NaN."""
    records = []
    for row in table.loc[:, list(RECORD_KEYS)].itertuples(index=False):
        record = {}
        for key, value in zip(RECORD_KEYS, row, strict=True):
            if key == "warnings":
                record[key] = [dict(w) for w in value]
            elif key in ("before", "after", "change", "pct_change", "pp_change"):
                record[key] = None if is_missing(value) else float(value)
            else:
                record[key] = str(value)
        records.append(record)
    return records


def format_table(table: pd.DataFrame) -> str:
    """A plain-text table in Chinese, columns aligned for a terminal (CJK = 2 cells)."""
    before = table.attrs.get("before") or "前期"
    after = table.attrs.get("after") or "后期"
    header = ["单位", "指标", before, after, "增减", "增减幅度", "结论", "预警"]
    lines = [header]
    for row in table.itertuples(index=False):
        digits = value_digits(row.kind)
        if row.kind in ("ratio", "percent"):
            moved = fmt_signed(row.pp_change, "个百分点", digits)
        else:
            moved = fmt_signed(row.change, row.measure, digits)
        lines.append(
            [
                str(row.unit),
                str(row.name),
                fmt_value(row.before, row.measure, digits),
                fmt_value(row.after, row.measure, digits),
                moved,
                fmt_signed(row.pct_change, "%"),
                str(row.verdict),
                describe_warnings(row.warnings) or "",
            ]
        )
    widths = [max(_width(line[c]) for line in lines) for c in range(len(header))]
    return "\n".join(
        "  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def trend_records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of a :func:`trend` table (None for missing values), periods included."""
    periods = list(table.attrs.get("periods", []))
    records = []
    for row in table.to_dict("records"):
        row["values"] = [_plain(v) for v in row["values"]]
        row["changes"] = [_plain(v) for v in row["changes"]]
        row["periods"] = periods
        records.append(row)
    return records


def _plain(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
