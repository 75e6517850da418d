"""The model behind the 对比 app and the CLI: a checked selection in, results out.

What a selection must satisfy (two different periods that exist, units that
exist, a threshold that is a number) is checked here once, so the page and the
command line refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from ..catalog import Catalog
from ..errors import JianfuError
from ..text.characters import clean_name
from .engine import COMPARED, compare
from .groups import Overlap, check_overlaps, members_phrase, overlap_note, overlaps
from .ranking import rank
from .rollups import not_rolled_sentence, owns_subject
from .sentences import (
    group_notes,
    left_out_sentence,
    span_note,
    summary_sentences,
    trend_sentence,
)
from .thresholds import ThresholdOptions
from .trend import trend
from .views import warnings_frame


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
    digits: int | None = None  # decimals figures are rounded to; None: the engine's default

    def __post_init__(self) -> None:
        if self.group:  # a name the user typed for the combined unit
            object.__setattr__(self, "group", clean_name(self.group) or "合计")

    @property
    def thresholds(self) -> ThresholdOptions:
        return ThresholdOptions(
            disabled_levels=self.disabled_levels, overrides=dict(self.overrides)
        )


@dataclass(frozen=True)
class Comparison:
    """A two-period comparison: the engine's table, ranking, sentences and notes.

    ``table`` holds every row (including those not compared: 基期无数据 and
    比较期无数据); ``compared`` only the rows with a value in both periods.
    """

    table: pd.DataFrame
    ranking: pd.DataFrame | None
    sentences: list[str]
    overlaps: tuple[Overlap, ...] = ()  # a parent summed with its own subordinates

    @property
    def compared(self) -> pd.DataFrame:
        return self.table[self.table["verdict"].isin(COMPARED)]

    @property
    def not_compared(self) -> pd.DataFrame:
        return self.table[~self.table["verdict"].isin(COMPARED)]

    @property
    def warnings(self) -> pd.DataFrame:
        """One row per warning, with level and source (the 预警 list)."""
        return warnings_frame(self.table)

    @property
    def left_out_note(self) -> str:
        """For a combined unit: who was not counted and why ("" otherwise)."""
        return left_out_sentence(self.table.attrs.get("left_out") or [])

    @property
    def overlap_note(self) -> str:
        """For a combined unit holding a parent and its subordinates: what the sum is."""
        return str(self.table.attrs.get("overlap") or "")

    @property
    def span_note(self) -> str:
        """A full year against half a year: the page and the CLI say so above the figures."""
        return span_note(
            [self.table.attrs.get("before") or "", self.table.attrs.get("after") or ""]
        )

    @property
    def not_rolled_up_note(self) -> str:
        """For a combined unit: the indicators not rolled up, and why ("" otherwise)."""
        return not_rolled_sentence(self.table.attrs.get("not_rolled_up") or [])

    @property
    def unstated(self) -> list[Overlap]:
        """Parents in the group whose figures are not said to be 本级 or 含下级: ask."""
        return [o for o in self.overlaps if not o.scope]


NO_DATA_YET = "还没有任何数据：请先在“数据录入”中填报或导入数据"
NO_PAIR_DATA = "所选单位在这两个时期没有数据"
NO_RUN_DATA = "所选单位在这些时期没有数据"


def check_pair(
    sel: Selection,
    periods: Sequence[str],
    units: Sequence[str] = (),
    obs: pd.DataFrame | None = None,
) -> None:
    """Refuse a two-period selection that cannot be compared, in Chinese.

    ``periods`` are the store's periods in their order: a base period later than
    the comparison period is refused (98 -> 200 would read as a rise when it was a
    cut). With ``obs``, a selection without a single value in the two periods is
    refused too, instead of printing nothing.
    """
    if not periods:
        raise JianfuError(NO_DATA_YET)
    if not sel.before or not sel.after:
        raise JianfuError("请选择基期和比较期两个时期")
    if sel.before == sel.after:
        raise JianfuError("基期和比较期不能是同一个时期，请选择两个不同的时期")
    _check_known([sel.before, sel.after], periods, units, sel.units)
    order = list(periods)
    if order.index(sel.before) > order.index(sel.after):
        raise JianfuError(
            f"基期“{sel.before}”晚于比较期“{sel.after}”，对比的方向反了："
            "请把较早的时期作为基期、较晚的时期作为比较期"
        )
    if obs is not None and not _has_values(obs, sel.units, [sel.before, sel.after]):
        raise JianfuError(NO_PAIR_DATA)


def check_run(
    sel: Selection,
    periods: Sequence[str],
    units: Sequence[str] = (),
    obs: pd.DataFrame | None = None,
) -> None:
    """Refuse a run of periods that cannot show a trend, in Chinese (see :func:`check_pair`)."""
    if not periods:
        raise JianfuError(NO_DATA_YET)
    if len(set(sel.periods)) < 2:
        raise JianfuError("请至少选择两个不同的时期")
    _check_known(list(sel.periods), periods, units, sel.units)
    order = list(periods)
    if list(sel.periods) != sorted(sel.periods, key=order.index):
        ordered = "、".join(sorted(sel.periods, key=order.index))
        raise JianfuError(f"请按时间先后选择时期，如：{ordered}")
    if obs is not None and not _has_values(obs, sel.units, list(sel.periods)):
        raise JianfuError(NO_RUN_DATA)


def _has_values(obs: pd.DataFrame, units: Sequence[str], periods: Sequence[str]) -> bool:
    """True if the units (all when none are named) hold any value in those periods."""
    mask = obs["period"].isin(periods)
    if units:
        mask &= obs["unit"].isin(units)
    return bool(mask.any())


def _check_known(
    picked: list[str], periods: Sequence[str], units: Sequence[str], picked_units: Sequence[str]
) -> None:
    missing = [p for p in picked if p not in periods]
    if missing:
        raise JianfuError(f"时期“{missing[0]}”不存在，现有时期：{'、'.join(periods)}")
    unknown = [u for u in picked_units if units and u not in units]
    if unknown:
        raise JianfuError(f"单位“{unknown[0]}”不存在，请检查名称")


def periods_with_data(obs: pd.DataFrame, units: Iterable[str], periods: Sequence[str]) -> list[str]:
    """The ``periods``, in their order, in which any of ``units`` has a value: what the
    entry form, the draft page and a new trend open on."""
    seen = set(obs.loc[obs["unit"].isin(list(units)), "period"])
    return [p for p in periods if p in seen]


def default_selection(obs: pd.DataFrame, periods: list[str]) -> Selection:
    """The pair of periods sharing most values, and the one unit with most values in both.

    One unit, so the first chart a facilitator shows is readable, not a wall of
    bars. Counted on a presence grid, so 2,000 units take milliseconds, not seconds
    (a groupby: pd.crosstab aggregates string columns in Python, ~1 s for 2,000 units).
    """
    if obs.empty or len(periods) < 2:
        return Selection()
    keys = obs.loc[obs["period"].isin(periods), ["unit", "indicator", "period"]]
    grid = keys.groupby(["unit", "indicator", "period"], sort=False).size()
    present = grid.unstack("period", fill_value=0) > 0
    best, pair = -1, (periods[0], periods[1])
    for b, a in zip(periods, periods[1:], strict=False):
        if b not in present.columns or a not in present.columns:
            continue
        count = int((present[b] & present[a]).sum())
        if count > best:
            best, pair = count, (b, a)
    if pair[0] not in present.columns or pair[1] not in present.columns:
        return Selection(before=pair[0], after=pair[1])
    shared = (present[pair[0]] & present[pair[1]]).groupby(level=0, sort=False).sum()
    order = pd.unique(obs["unit"])
    counts = shared.reindex(order).fillna(0)
    units = (str(counts.idxmax()),) if len(counts) and counts.max() > 0 else ()
    return Selection(units=units, before=pair[0], after=pair[1])


def _grouping(sel: Selection, hierarchy: pd.DataFrame | None) -> tuple[list[Overlap], str | None]:
    """A group's parents-with-subordinates (refused when 含下级) and how its members are said."""
    if not sel.group:
        return [], None
    found = overlaps(sel.units, hierarchy)
    check_overlaps(found)
    return found, members_phrase(sel.units, hierarchy) if sel.units else None


def run_comparison(
    obs: pd.DataFrame,
    catalog: Catalog,
    sel: Selection,
    said_units: int | None = None,
    hierarchy: pd.DataFrame | None = None,
) -> Comparison:
    """Compare the selection's two periods; rank units when there are several.

    Sentences are written for every unit, or for the first ``said_units`` (a page
    showing 2,000 units does not need 2,000 paragraphs). ``hierarchy`` (the store's
    units: name, level, parent, scope) lets a group be checked and said: a parent
    whose figures include its subordinates is not summed with them (JianfuError),
    one of 本级 or unstated scope is, with a note; members are counted in words (两镇).
    """
    found, phrase = _grouping(sel, hierarchy)
    table = compare(
        obs,
        catalog,
        sel.before,
        sel.after,
        units=list(sel.units) or None,
        group=sel.group or None,
        thresholds=sel.thresholds,
        digits=sel.digits,
        phrase=phrase,
    )
    table.attrs["overlap"] = overlap_note(found)
    if sel.categories:
        attrs = table.attrs
        table = table[table["category"].isin(sel.categories)]
        table.attrs = {**attrs, "categories": list(sel.categories)}
    units = list(table["unit"].drop_duplicates())
    ranking = None
    if len(units) > 1 and (sel.rank_by is None or sel.rank_by in set(table["indicator"])):
        ranking = rank(table, indicator=sel.rank_by)
    said = units if said_units is None else units[:said_units]
    sentences = []
    if said:
        # pandas deep-copies attrs at every step: the parts get small ones (no member list)
        subset = table[table["unit"].isin(said)]
        kept = ("before", "after", "group", "left_out", "overlap", "not_rolled_up")
        subset.attrs = {k: table.attrs.get(k) for k in kept}
        parts = dict(tuple(subset.groupby("unit", sort=False)))
        for unit in said:
            sentences += summary_sentences(parts[unit], unit, unit=unit)
        sentences += _span_sentence([sel.before or "", sel.after or ""])
    return Comparison(table, ranking, sentences, tuple(found))


def run_trend(
    obs: pd.DataFrame,
    catalog: Catalog,
    sel: Selection,
    hierarchy: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Values over a run of periods and the trend module's verdict, a sentence per row.

    A group is checked and said as in :func:`run_comparison`.
    """
    periods = list(sel.periods)
    found, phrase = _grouping(sel, hierarchy)
    table = trend(
        obs,
        catalog,
        periods,
        units=list(sel.units) or None,
        group=sel.group or None,
        digits=sel.digits,
        phrase=phrase,
    )
    table.attrs["overlap"] = overlap_note(found)
    if sel.categories:
        attrs = table.attrs
        codes = {i.code for i in catalog if i.category in sel.categories}
        table = table[table["indicator"].isin(codes)]
        table.attrs = {**attrs, "categories": list(sel.categories)}
    sentences = []
    for row in table.itertuples():
        record = row._asdict()
        said = trend_sentence(record, periods)
        sentences.append(said if owns_subject(record) else f"{row.unit}{said}")
    return table, sentences + group_notes(table.attrs) + _span_sentence(periods)


def _span_sentence(periods: Sequence[str]) -> list[str]:
    """The sentences are copied and read out without the page: a full year against half
    a year goes with them."""
    note = span_note(periods, short=True)
    return [note] if note else []
