"""Small tables in the shapes the compare engine hands the charts, and readers of the
Vega-Lite dicts the chart builders return: shared by the chart tests."""

from __future__ import annotations

import math
import re

import pandas as pd

from jianfu.catalog import load_catalog
from jianfu.charts import bars as bar_charts
from jianfu.charts import lines as line_charts
from jianfu.compare import COMPARE_COLUMNS, trend

CATALOG = load_catalog()
HAN = re.compile(r"[\u4e00-\u9fff]")
TABLE_COLUMNS = COMPARE_COLUMNS


def comparison_row(unit: str, code: str, before: float, after: float, verdict: str) -> dict:
    ind = CATALOG[code]
    pct = (after - before) / before * 100 if before else math.nan
    return {
        "unit": unit,
        "indicator": code,
        "name": ind.name,
        "short": ind.short,
        "category": ind.category,
        "measure": ind.measure,
        "direction": ind.direction,
        "kind": ind.kind,
        "before": before,
        "after": after,
        "change": after - before,
        "pct_change": pct,
        "pp_change": after - before if ind.is_rate else math.nan,
        "decimals": 0,
        "verdict": verdict,
        "warnings": [{"level": "中央", "rule": "max", "source": "规定", "message": "超过上限"}],
    }


def make_table(unit: str = "城关镇") -> pd.DataFrame:
    rows = [
        comparison_row(unit, "doc_count", 80, 50, "改善"),
        comparison_row(unit, "meeting_count", 120, 90, "改善"),
        comparison_row(unit, "speech_main_minutes", 50, 70, "恶化"),
        comparison_row(unit, "meeting_minutes", 45, 45, "持平"),
        comparison_row(unit, "doc_unnumbered", 0, 5, "新增"),
        comparison_row(unit, "meeting_video_share", 20, 35, "改善"),
    ]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


TABLE = make_table()
TWO_UNITS = pd.concat([make_table("城关镇"), make_table("新城街道")], ignore_index=True)
PERIODS = ["2021年", "2022年", "2023年"]
OBS = pd.DataFrame(
    [
        {"unit": unit, "period": period, "indicator": code, "value": value * factor}
        for unit, factor in (("城关镇", 1.0), ("新城街道", 0.5))
        for code, values in (
            ("doc_count", (82, 81, 85)),
            ("speech_main_minutes", (70, 55, 40)),
            ("meeting_video", (10, 12, 18)),
            ("meeting_count", (50, 40, 36)),
        )
        for period, value in zip(PERIODS + ["2019年"], values + (99,), strict=False)
    ]
)


def trend_of(periods=PERIODS, units=None):
    """The trend engine's table over OBS: what the page hands the chart."""
    return trend(OBS, CATALOG, periods, units=units)


RANKING = pd.DataFrame(
    {
        "rank": [2, 1, 3],
        "unit": ["新城街道", "城关镇", "东山乡"],
        "value": [-30.5, -51.0, 12.0],
        "label": ["-30.5%", "-51%", "+12%"],
    }
)

BUILDERS = {
    "before_after": lambda: bar_charts.before_after_pages(TABLE, "改革前", "改革后")[0],
    "before_after_units": lambda: bar_charts.before_after_pages(TWO_UNITS, "改革前", "改革后")[0],
    "change": lambda: bar_charts.change_pages(TABLE)[0],
    "trend_one": lambda: line_charts.trend_pages(trend_of(), CATALOG, ["speech_main_minutes"])[0],
    "trend_many": lambda: line_charts.trend_pages(
        trend_of(), CATALOG, ["doc_count", "speech_main_minutes", "meeting_video_share"]
    )[0],
    "categories": lambda: bar_charts.category_pages(TABLE, "改革前", "改革后")[0],
    "ranking": lambda: bar_charts.ranking_pages(RANKING, value_title="变化幅度（%）")[0],
}


# ---- helpers to read a Vega-Lite dict --------------------------------------------------


def walk(node):
    """Every dict inside a spec, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def marks(spec: dict) -> list[str]:
    found = []
    for node in walk(spec):
        mark = node.get("mark")
        if mark is not None:
            found.append(mark if isinstance(mark, str) else mark["type"])
    return found


def layer_with(spec: dict, mark: str) -> dict:
    return next(n for n in walk(spec) if n.get("mark", {}).get("type", n.get("mark")) == mark)


def rows(spec: dict, node: dict) -> list[dict]:
    """Data rows of a (sub)chart; altair hoists data shared by all layers to the top."""
    data = node.get("data") or plot(spec).get("data") or spec["data"]
    return spec["datasets"][data["name"]]


def plot(spec: dict) -> dict:
    """The chart under the title: builders wrap it so its notes can go beneath it."""
    return spec["vconcat"][0]


def notes(spec: dict) -> list[str]:
    """The footnote lines under the plot (without the leading 注：)."""
    title = plot(spec).get("title")
    lines = title["text"] if title else []
    return [line[2:] for line in ([lines] if isinstance(lines, str) else lines)]
