"""Which charts a comparison has, what they are called, and how their files are named.

The 对比 page and ``jianfu chart`` both ask this module, so a chart on screen,
its downloaded PNG and the one made on the command line carry the same title
(unit or combined unit, indicator or categories, periods) and the same file name
(示例县_2023年-2024年_变化幅度.png). Charts are only built when a page of them
is asked for: altair is imported on first use, not when the page opens.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType

import pandas as pd

from ..catalog import Catalog
from ..compare.sentences import span_note
from ..errors import JianfuError
from ..startup import skip_iri_grammar
from ..text.files import safe_file_name
from .sizes import ChartSize, chart_size

# kind -> name on buttons and in file names
KINDS = {
    "change": "变化幅度",
    "before_after": "前后对比",
    "category": "分类对比",
    "ranking": "单位排名",
    "trend": "变化趋势",
}
PAIR_KINDS = ("change", "before_after", "category", "ranking")
MAX_NAMED_UNITS = 3  # units named in a title before "等N个单位"
MAX_TREND_INDICATORS = 8  # trend charts drawn on the page; the CLI may ask for others


@dataclass(frozen=True)
class Figure:
    """One chart of the current selection: its name, title and pages at any size."""

    kind: str
    subject: str  # who: a unit, a combined unit, or several units
    span: str  # the periods, e.g. 2023年—2024年
    make: Callable[[ChartSize], object] = field(repr=False)  # size -> pages.Pages

    @property
    def name(self) -> str:
        return KINDS[self.kind]

    @property
    def stem(self) -> str:
        """File name without extension: 示例县_2023年-2024年_变化幅度."""
        return safe_file_name(f"{self.subject}_{self.span.replace('—', '-')}_{self.name}", "图表")

    def filename(self, ext: str, page: int = 0, pages: int = 1) -> str:
        suffix = f"_{page + 1}" if pages > 1 else ""
        return f"{self.stem}{suffix}.{ext.lstrip('.')}"

    def pages(self, size: str | ChartSize):
        """The chart at ``size``, split into pages (see :class:`~jianfu.charts.pages.Pages`)."""
        return self.make(chart_size(size))


def subject_of(table: pd.DataFrame) -> tuple[str, list[str]]:
    """Who a table is about, for titles and file names, and a subtitle naming members.

    One unit: its name. A combined unit: its name, and a subtitle listing who it
    combines (and, for a parent with its own subordinates, what the sum is).
    Several units: the first few names (示例县城关镇等12个单位).
    """
    units = list(dict.fromkeys(table["unit"]))
    group = table.attrs.get("group")
    if group:
        members = [m for m in table.attrs.get("members") or [] if m != group]
        left_out = {r["unit"] for r in table.attrs.get("left_out") or []}
        shown = "、".join(members[:6]) + (f"等{len(members)}个单位" if len(members) > 6 else "")
        line = f"{group}为{shown}的汇总" if members else ""
        if line and left_out:
            line += "（缺少数据的单位该项未计入）"
        lines = [line, str(table.attrs.get("overlap") or "")]
        return group, [text for text in lines if text]
    if not units:
        return "（无单位）", []
    if len(units) <= MAX_NAMED_UNITS:
        return "、".join(units), []
    return f"{units[0]}等{len(units)}个单位", []


def pair_span(before: str, after: str) -> str:
    return f"{before}—{after}"


def pair_figures(
    result, catalog: Catalog | None = None, rank_label: str | None = None
) -> list[Figure]:
    """The charts of a two-period comparison (a selection.Comparison), in page order.

    ``rank_label`` names what the ranking is on (an indicator's name) when it is
    not the share of indicators improved.
    """
    table = result.table
    before, after = table.attrs.get("before"), table.attrs.get("after")
    if not before or not after:
        raise JianfuError("对比表缺少时期信息")
    subject, subtitle = subject_of(table)
    subtitle = _with_span_note(subtitle, [before, after])
    span = pair_span(before, after)
    scope = _scope(table)
    figures = [
        Figure(
            "change",
            subject,
            span,
            lambda size: _drawing("bars").change_pages(
                table, f"{subject}：{span}{scope}变化幅度", size, subtitle
            ),
        ),
        Figure(
            "before_after",
            subject,
            span,
            lambda size: _drawing("bars").before_after_pages(
                table, before, after, f"{subject}：{before}与{after}{scope}对比", size, subtitle
            ),
        ),
    ]
    if table["unit"].nunique() == 1:
        figures.append(
            Figure(
                "category",
                subject,
                span,
                lambda size: _drawing("bars").category_pages(
                    table,
                    before,
                    after,
                    title=f"{subject}：{before}与{after}分类别对比",
                    size=size,
                    subtitle=subtitle,
                ),
            )
        )
    ranking = result.ranking
    if ranking is not None:
        what = f"{rank_label}变化幅度（%）" if rank_label else "改善指标占比（%）"
        judged = ranking.attrs.get("judged_on")
        basis = f"（按{judged}项共同指标）" if not rank_label and judged else ""
        figures.append(
            Figure(
                "ranking",
                subject,
                span,
                lambda size: _drawing("bars").ranking_pages(
                    ranking, f"{subject}：{span}{what}排名{basis}", what, size, subtitle
                ),
            )
        )
    return figures


def trend_figures(
    table: pd.DataFrame,
    catalog: Catalog,
    indicators: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
) -> list[Figure]:
    """The trend chart of a run of periods (one figure; its pages hold the indicators)."""
    periods = list(table.attrs.get("periods") or [])
    if len(periods) < 2:
        raise JianfuError("请至少选择两个不同的时期")
    codes = list(indicators) if indicators else list(dict.fromkeys(table["indicator"]))
    codes = codes[:MAX_TREND_INDICATORS] if indicators is None else codes
    subject, subtitle = subject_of(table)
    subtitle = _with_span_note(subtitle, periods)
    span = pair_span(periods[0], periods[-1])
    names = [catalog[c].name for c in codes if catalog.get(c) is not None]
    what = names[0] if len(names) == 1 else "主要指标"
    return [
        Figure(
            "trend",
            subject,
            span,
            lambda size: _drawing("lines").trend_pages(
                table,
                catalog,
                codes,
                levels=levels,
                title=f"{subject}：{span}{what}变化趋势",
                size=size,
                subtitle=subtitle,
            ),
        )
    ]


def _with_span_note(subtitle: list[str], periods: Sequence[str]) -> list[str]:
    """A full year against half a year: said on the chart itself, which travels alone."""
    note = span_note(periods, short=True)
    return [note, *subtitle] if note else subtitle


def _scope(table: pd.DataFrame) -> str:
    """“文件、会议类指标” when the user picked categories, else “减负指标”."""
    picked = list(table.attrs.get("categories") or ())
    if picked and len(picked) <= 3:
        return f"{'、'.join(picked)}类指标"
    if picked:
        return f"{'、'.join(picked[:3])}等{len(picked)}类指标"
    return "减负指标"


def _drawing(module: str) -> ModuleType:
    """A chart module (``bars``, ``lines``) on first use, altair imported the fast way:
    altair costs a second or more to import, so a page pays for it only when it draws."""
    skip_iri_grammar()
    return importlib.import_module(f"{__package__}.{module}")
