"""The 对比 page's results: recomputed from the one engine on every change."""

from __future__ import annotations

import pandas as pd

from jianfu.charts.figures import pair_figures, subject_of, trend_figures
from jianfu.compare.groups import overlaps
from jianfu.compare.selection import (
    NO_PAIR_DATA,
    NO_RUN_DATA,
    Selection,
    check_pair,
    check_run,
    run_comparison,
    run_trend,
)
from jianfu.compare.sentences import group_notes, span_note
from jianfu.compare.views import (
    headline,
    left_out_view,
    not_compared_view,
    table_view,
    trend_headline,
    trend_view,
    warnings_frame,
)
from jianfu.errors import JianfuError
from jianfu.text.files import safe_file_name

from ..tables import frame_html, note_html
from ..templating import element
from .markup import headline_html, row_classes, sentences_html, trend_headline_html
from .shared import (
    NO_DATA,
    SAID_UNITS,
    TABLE_ROWS,
)


class Results:
    """Table, warnings, sentences, big numbers and charts of CompareApp (a mixin)."""

    def _refresh(self) -> None:
        """Recompute; everything from the previous selection goes first, so a failed
        selection never leaves another unit's figures on screen."""
        self._clear()
        with self._status.guard():
            self._status.clear()
            self._sync_quick_unit()
            if not self._periods.options:  # an empty database: say where data comes from
                self._status.info(NO_DATA)
                return
            if self._mode.value == "trend":
                self._show_trend(self.selection())
            else:
                self._show_pair(self.selection())

    def _clear(self) -> None:
        self._result = None
        self._trend = None
        self._said: list[str] = []
        self._big: list[dict] = []
        for output in (self._table, self._warnings, self._sentences, self._headline):
            output.value = ""
        self._chart_view.clear()
        self._downloads.children = []
        self._grouping.ask([])
        self._rank_by.layout.display = "none"

    def _sync_quick_unit(self) -> None:
        chosen = tuple(self._units.value)
        value = chosen[0] if len(chosen) == 1 and not self._group.value else None
        self._quick_unit.unobserve(self._on_quick_unit_change, names="value")
        try:
            self._quick_unit.value = value
        finally:
            self._quick_unit.observe(self._on_quick_unit_change, names="value")
        trend = self._mode.value == "trend"
        self._before.layout.display = "none" if trend else ""
        self._after.layout.display = "none" if trend else ""
        order = list(self._periods.options)
        late = self._before.value in order and self._after.value in order
        late = late and order.index(self._before.value) > order.index(self._after.value)
        self._swap.layout.display = "" if late and not trend else "none"  # offered when reversed
        self._run_label.value = (
            element("span", "、".join(self.selection().periods), "jf-run") if trend else ""
        )

    def _show_pair(self, sel: Selection) -> None:
        check_pair(sel, self._periods.options, self._units.options, obs=self._obs)
        result = run_comparison(
            self._obs, self._catalog, sel, said_units=SAID_UNITS, hierarchy=self._hierarchy
        )
        table = result.table
        self._grouping.ask(result.unstated)
        if table.empty:
            raise JianfuError("所选类别在这两个时期没有数据" if sel.categories else NO_PAIR_DATA)
        self._result = result
        several = table["unit"].nunique() > 1
        self._rank_by.layout.display = "" if several else "none"
        compared = result.compared
        shown = compared.iloc[:TABLE_ROWS]
        view = table_view(shown).assign(_class=row_classes(shown))
        caveat = _caveat(result.span_note)
        parts = [
            caveat,
            frame_html(view, max_rows=TABLE_ROWS, row_class="_class", total=len(compared)),
        ]
        if not result.not_compared.empty:
            parts.append(note_html("以下指标只有一个时期有数据，未作比较（缺少数据不等于0）："))
            parts.append(frame_html(not_compared_view(table), max_rows=TABLE_ROWS))
        for note in (result.overlap_note, result.not_rolled_up_note):
            if note:
                parts.append(note_html(note))
        if result.left_out_note:
            parts.append(note_html(result.left_out_note))
            parts.append(frame_html(left_out_view(table), max_rows=TABLE_ROWS))
        self._table.value = "".join(parts)
        warnings = warnings_frame(table)
        self._warnings.value = (
            frame_html(warnings, max_rows=TABLE_ROWS)
            if not warnings.empty
            else "<p>所选范围内没有触发预警。</p>"
        )
        self._said = result.sentences
        self._sentences.value = sentences_html(result.sentences, _said_note(table))
        self._big = headline(table)
        self._headline.value = caveat + headline_html(self._big)
        rank_label = self._rank_by.label if sel.rank_by else None
        self._chart_view.show(pair_figures(result, self._catalog, rank_label))

    def _show_trend(self, sel: Selection) -> None:
        if len(set(sel.periods)) < 2:  # nothing to show yet: say what to do, not an error
            self._status.info("请在“时期”中至少选择两个时期，查看逐年变化。")
            return
        check_run(sel, self._periods.options, self._units.options, obs=self._obs)
        table, sentences = run_trend(self._obs, self._catalog, sel, hierarchy=self._hierarchy)
        if sel.group:
            self._grouping.ask([o for o in overlaps(sel.units, self._hierarchy) if not o.scope])
        if table.empty:
            raise JianfuError(NO_RUN_DATA)
        caveat = _caveat(span_note(sel.periods))
        parts = [
            caveat,
            frame_html(trend_view(table.iloc[:TABLE_ROWS], list(sel.periods)), total=len(table)),
        ]
        parts += [note_html(n) for n in group_notes(table.attrs)]
        if table.attrs.get("left_out"):
            parts.append(frame_html(left_out_view(table), max_rows=TABLE_ROWS))
        self._table.value = "".join(parts)
        self._trend = table
        self._warnings.value = "<p>趋势模式下，预警见“两个时期对比”。</p>"
        self._said = sentences
        self._sentences.value = sentences_html(sentences)
        self._big = trend_headline(table)
        self._headline.value = caveat + trend_headline_html(self._big)
        self._chart_view.show(trend_figures(table, self._catalog, levels=self._levels.ticked))


def export_filename(table: pd.DataFrame) -> str:
    """示例县城关镇_2023年-2024年_对比表.xlsx: who and which periods, as charts are named."""
    subject, _ = subject_of(table)
    before, after = table.attrs.get("before", ""), table.attrs.get("after", "")
    return safe_file_name(f"{subject}_{before}-{after}_对比表", "对比表") + ".xlsx"


def _caveat(note: str) -> str:
    """A warning above the big numbers and the table ("" when there is none)."""
    return note_html(note) if note else ""


def _said_note(table: pd.DataFrame) -> str:
    units = table["unit"].nunique()
    if units <= SAID_UNITS:
        return ""
    return f"仅为前{SAID_UNITS}个单位生成数据句（共{units}个单位），其余可逐个选择查看。"
