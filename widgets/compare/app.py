"""The 对比 app: pick units and periods; see the table, warnings, charts and data sentences.

Two views of the same selection. The page view has every control and the
results in tabs. The presentation view (the 演示模式 switch, or ``?present=1`` in
the address, which a facilitator can bookmark) puts the controls on one line,
then big numbers, one chart sized for a 16:9 screen, and the sentences in large
type. Charts are drawn only when seen, one at a time (chart_view.py).
"""

from __future__ import annotations

import os
import threading

import ipywidgets as w
import pandas as pd

from jianfu.catalog import CATEGORIES
from jianfu.catalog.directions import is_judged
from jianfu.charts.sizes import PRESENT, SCREEN
from jianfu.compare.grids import descendants
from jianfu.compare.selection import (
    Comparison,
    Selection,
    default_selection,
    periods_with_data,
)
from jianfu.compare.thresholds import checked_threshold
from jianfu.compare.views import (
    export_view,
)
from jianfu.dataio.sheet_writer import table_xlsx
from jianfu.errors import JianfuError
from jianfu.numbers.format import plain
from jianfu.server.kernel import in_kernel
from jianfu.store import Store

from ..common import MIMES, download_link, open_page, preheated, title_bar
from ..handles import Handles
from ..levels import LevelBoxes
from ..status import StatusLine
from ..templating import element
from .chart_view import ChartView, warm_charts
from .group import GroupControls
from .results import Results, export_filename
from .shared import (
    CHART_TAB,
    MODES,
    PREFETCH_DELAY,
    SHARE_IMPROVED,
    asked_selection,
    wants_present,
)


class CompareApp(Results, Handles, w.VBox):
    """Comparison page; recomputes on every change so a facilitator can click live."""

    INPUTS = (
        "units",
        "before",
        "after",
        "periods",
        "mode",
        "categories",
        "group",
        "group_name",
        "parent",
        "rank_by",
        "present",
        "quick_unit",
        "override_indicator",
        "override_value",
    )
    BUTTONS = (
        "export",
        "swap",
        "rollup",
        "override_set",
        "override_clear",
        "scope_own",
        "scope_all",
    )
    OUTPUTS = ("table", "warnings", "sentences", "headline", "scope_question")
    PARTS = ("scope_box", "tabs")  # the 本级/含下级 question; the page view's tabs

    def __init__(self, store: Store, present: bool = False, background: bool | None = None):
        self._store = store
        self._catalog = store.catalog()
        self._obs = store.observations()
        periods = store.periods()
        start = default_selection(self._obs, periods)
        units = list(pd.unique(self._obs["unit"]))
        background = in_kernel() if background is None else background
        self._build_pickers(periods, start, units, present)
        self._build_results(background)
        self._period_box = w.VBox([self._before, self._after, self._swap])
        self._page_view = self._page_children()
        self._present_view = self._present_children()
        self._clear()
        for control in (
            self._mode,
            self._units,
            self._before,
            self._after,
            self._periods,
            self._categories,
            *self._levels.children,
            self._rank_by,
        ):
            control.observe(self._on_selection_change, names="value")
        self._quick_unit.observe(self._on_quick_unit_change, names="value")
        self._present.observe(self._on_present_change, names="value")
        self._tabs.observe(self._on_tab_change, names="selected_index")
        super().__init__()
        self.add_class("jf-compare")
        self._apply_view()
        self._refresh()
        if background and not present:
            timer = threading.Timer(PREFETCH_DELAY, self._chart_view.prefetch)
            timer.daemon = True
            timer.start()

    def _build_pickers(self, periods, start: Selection, units: list[str], present: bool) -> None:
        """Every control that chooses what is compared."""
        self._mode = w.ToggleButtons(options=MODES, value="pair")
        self._present = w.ToggleButton(value=present, description="演示模式")
        self._present.add_class("jf-present-switch")
        self._units = w.SelectMultiple(
            options=units,
            value=start.units,
            description="单位",
            rows=6,
            layout=w.Layout(width="330px"),
        )
        self._quick_unit = w.Dropdown(options=units, description="单位")
        self._hierarchy = self._store.units()
        self._grouping = GroupControls(
            self._hierarchy,
            on_change=self._on_selection_change,
            on_rollup=self._on_rollup,
            on_scope=self._on_scope_answer,
        )
        self._grouping.follow(start.units)
        groups = self._grouping  # the parts tests and the layout address directly
        self._group, self._group_name, self._parent, self._rollup = (
            groups.switch, groups.name, groups.parent, groups.rollup
        )  # fmt: skip
        self._scope_box, self._scope_question = groups.ask_box, groups.question
        self._scope_own, self._scope_all = groups.own, groups.all
        self._before = w.Dropdown(options=periods, value=start.before, description="基期")
        self._after = w.Dropdown(options=periods, value=start.after, description="比较期")
        self._swap = w.Button(description="交换基期和比较期", layout=w.Layout(width="auto"))
        self._swap.on_click(self._on_swap_click)
        self._periods = w.SelectMultiple(options=periods, description="时期", rows=6)
        self._run_label = w.HTML()
        self._categories = w.SelectMultiple(
            options=[c for c in CATEGORIES if c in {i.category for i in self._catalog}],
            description="类别",
            rows=6,
            layout=w.Layout(width="260px"),
        )
        self._levels = LevelBoxes()
        self._overrides: dict[str, float] = {}
        judged = [(i.label, i.code) for i in self._catalog if is_judged(i.direction)]
        self._override_indicator = w.Dropdown(
            options=judged, description="指标", layout=w.Layout(width="420px")
        )
        self._override_value = w.FloatText(description="阈值", layout=w.Layout(width="200px"))
        self._override_set = w.Button(description="设置阈值")
        self._override_clear = w.Button(description="恢复目录阈值")
        self._override_list = w.HTML()
        self._override_set.on_click(self._on_override_set_click)
        self._override_clear.on_click(self._on_override_clear_click)
        self._rank_by = w.Dropdown(
            options=[(SHARE_IMPROVED, "")] + judged,  # "" not None: None reads as no choice
            description="排名依据",
            layout=w.Layout(width="420px"),
        )

    def _build_results(self, background: bool) -> None:
        """Where the results go: status line, big numbers, tabs with table, charts, sentences."""
        self._status = StatusLine()
        self._headline = w.HTML()
        self._table = w.HTML()
        self._warnings = w.HTML()
        self._chart_view = ChartView(background=background)
        self._sentences = w.HTML()
        self._downloads = w.HBox()
        self._export = w.Button(description="导出对比表（Excel）")
        self._export.on_click(self._on_export_click)
        self._tabs = w.Tab(
            children=[
                w.VBox([self._table, w.HBox([self._export]), self._downloads]),
                self._warnings,
                w.VBox([self._rank_by, self._chart_view]),
                self._sentences,
            ],
            titles=("对比表", "预警", "图表", "数据句"),
        )

    # ---- layout -------------------------------------------------------------------
    def _page_children(self) -> list[w.Widget]:
        pickers = w.HBox([self._units, self._period_box, self._categories])
        levels = w.HBox([w.Label("预警依据："), self._levels])
        toolbar = w.HBox([self._mode, self._present])
        for box in (pickers, levels, toolbar, self._levels):
            box.add_class("jf-wrap")
        return [
            title_bar("对比分析", "改革前后、逐年变化：哪些降了，哪些没降"),
            toolbar,
            pickers,
            self._grouping,
            levels,
            self._override_box(),
            self._status,
            self._tabs,
        ]

    def _present_children(self) -> list[w.Widget]:
        bar = w.HBox([self._quick_unit, self._before, self._after, self._run_label, self._present])
        bar.add_class("jf-present-bar")
        return [bar, self._status, self._headline, self._chart_view, self._sentences]

    def _override_box(self) -> w.Accordion:
        hint = w.HTML(
            "<small>用本地的标准代替目录中的阈值（越少越好的指标为上限，越多越好的为下限；"
            "“较基期至少减少”类规则填百分比）。</small>"
        )
        row = w.HBox(
            [
                self._override_indicator,
                self._override_value,
                self._override_set,
                self._override_clear,
            ]
        )
        row.add_class("jf-wrap")
        accordion = w.Accordion(
            children=[w.VBox([hint, row, self._override_list])], titles=("自定义阈值",)
        )
        accordion.selected_index = None
        return accordion

    def _apply_view(self) -> None:
        present = self._present.value
        self.children = self._present_view if present else self._page_view
        self._present.description = "退出演示" if present else "演示模式"
        if present:
            self.add_class("jf-present")
        else:
            self.remove_class("jf-present")
        self._chart_view.set_compact(present)
        self._chart_view.set_size(PRESENT if present else SCREEN)
        self._chart_view.set_visible(present or self._tabs.selected_index == CHART_TAB)

    @classmethod
    def from_default_store(cls) -> CompareApp:
        """The app on the database named by $JIANFU_DB_URL / $JIANFU_DATA_DIR.

        ``?present=1`` in the address opens the presentation view.
        """
        store = Store.default()
        if not preheated():
            app = cls(store, present=wants_present(os.environ.get("QUERY_STRING")))
        else:
            # In the pool, before anyone waits: chart tools loaded, widgets built, first
            # chart drawn. The data is checked again when the visitor comes.
            warm_charts()
            app = open_page(lambda: cls(store), "compare")
            app._present.value = wants_present(os.environ.get("QUERY_STRING"))
        app.open_address(os.environ.get("QUERY_STRING"))
        return app

    def open_address(self, query: str | None) -> None:
        """Take units and periods from the page address (``unit=…&before=…&after=…``, the
        填报任务 board's hand-off); names this database does not hold are passed over."""
        asked = asked_selection(query)
        for name in ("before", "after"):
            if asked.get(name) in self.options(name):
                self.choose(**{name: asked[name]})
        units = [u for u in asked.get("units", ()) if u in self.options("units")]
        if units:
            self.choose(units=tuple(units))

    def refresh_if_stale(self) -> CompareApp:
        """This page, or a new one when the data changed since it was built (the page protocol)."""
        return self if self.is_current() else type(self)(self._store)

    def is_current(self) -> bool:
        """True while the store holds the data this page was built from."""
        store = self._store
        return (
            store.catalog() == self._catalog
            and tuple(store.periods()) == self._periods.options
            and store.units().equals(self._hierarchy)
            and store.observations().equals(self._obs)
        )

    # ---- public results -----------------------------------------------------------
    def selection(self) -> Selection:
        return Selection(
            units=tuple(self._units.value),
            group=self._grouping.group,
            before=self._before.value,
            after=self._after.value,
            periods=tuple(p for p in self._periods.options if p in self._periods.value),
            categories=tuple(self._categories.value),
            disabled_levels=self._levels.unticked,
            overrides=tuple(self._overrides.items()),
            rank_by=self._rank_by.value or None,
        )

    @property
    def present(self) -> bool:
        """True in the presentation view."""
        return self._present.value

    @property
    def result(self) -> Comparison | None:
        """The comparison on screen (None in trend mode or when the selection failed)."""
        return self._result

    @property
    def trend_table(self) -> pd.DataFrame | None:
        """The trend on screen (None in pair mode or when the selection failed)."""
        return self._trend

    @property
    def sentences(self) -> list[str]:
        """The data sentences on screen."""
        return list(self._said)

    @property
    def headline(self) -> list[dict]:
        """The big numbers of the presentation view (views.headline / trend_headline)."""
        return list(self._big)

    @property
    def message(self) -> str:
        return self._status.text

    @property
    def downloads(self) -> tuple[w.Widget, ...]:
        """The download links made so far (the exported table)."""
        return tuple(self._downloads.children)

    @property
    def offers_ranking(self) -> bool:
        """True when 排名依据 is on offer (several units, not combined)."""
        return self._rank_by.layout.display != "none"

    @property
    def ranked_by(self) -> str:
        """The label of what units are ranked by."""
        return self._rank_by.label

    def set_level(self, level: str, on: bool) -> None:
        """Count (or not) the warnings of one threshold level (国家/省/市/地方…)."""
        self._levels.tick(level, on)

    @property
    def chart_names(self) -> list[str]:
        """The charts of the current selection (drawn or not yet)."""
        return self._chart_view.names

    @property
    def charts(self) -> ChartView:
        """The chart viewer (which chart, which page, what is on screen)."""
        return self._chart_view

    # ---- handlers -----------------------------------------------------------------
    def _on_selection_change(self, change=None) -> None:
        trend = self._mode.value == "trend"
        self._period_box.children = (
            [self._periods] if trend else [self._before, self._after, self._swap]
        )
        if change is not None and change["owner"] is self._mode and trend:
            self._start_run()
        self._grouping.follow(self._units.value)
        self._refresh()

    def _start_run(self) -> None:
        """Entering 多个时期趋势 with nothing chosen: the periods the units have data in."""
        if self._periods.value:
            return
        run = tuple(periods_with_data(self._obs, self._units.value, self._periods.options))
        if len(run) >= 2:
            self._periods.unobserve(self._on_selection_change, names="value")
            try:
                self._periods.value = run
            finally:
                self._periods.observe(self._on_selection_change, names="value")

    def _on_swap_click(self, _button) -> None:
        with self.hold_trait_notifications():
            before, after = self._before.value, self._after.value
            self._before.unobserve(self._on_selection_change, names="value")
            try:
                self._before.value = after
            finally:
                self._before.observe(self._on_selection_change, names="value")
            self._after.value = before

    def _on_quick_unit_change(self, change) -> None:
        """The presentation bar's unit: show that one unit."""
        unit = change["new"]
        if unit is None or tuple(self._units.value) == (unit,):
            return
        with self.hold_trait_notifications():
            self._group.value = False
            self._units.value = (unit,)

    def _on_present_change(self, _change) -> None:
        self._apply_view()

    def _on_tab_change(self, _change) -> None:
        self._chart_view.set_visible(self.present or self._tabs.selected_index == CHART_TAB)

    def _on_rollup(self, parent: str) -> None:
        """Select the parent's lowest-level units and sum them (no double counting)."""
        below = set(descendants(self._hierarchy, parent, leaves_only=True))
        chosen = tuple(u for u in self._units.options if u in below)
        if not chosen:
            self._status.error(f"“{parent}”的下级单位没有数据")
            return
        self._units.unobserve(self._on_selection_change, names="value")
        try:
            self._units.value = chosen
        finally:
            self._units.observe(self._on_selection_change, names="value")
        if self._group.value:
            self._on_selection_change()
        else:
            self._group.value = True  # one refresh, named after the new selection

    def _on_scope_answer(self, unit: str, scope: str) -> None:
        """本级 or 含下级, as the user answered: saved with the unit, then shown again."""
        with self._status.guard():
            self._store.set_unit_scope(unit, scope)
            self._hierarchy = self._store.units()
            self._grouping.set_hierarchy(self._hierarchy)
            self._refresh()

    def _on_override_set_click(self, _button) -> None:
        with self._status.guard():
            value = checked_threshold(self._override_value.value)
            self._overrides[self._override_indicator.value] = value
            self._show_overrides()
            self._refresh()

    def _on_override_clear_click(self, _button) -> None:
        self._overrides.clear()
        self._show_overrides()
        self._refresh()

    def _show_overrides(self) -> None:
        names = [f"{self._catalog[c].name}：{plain(v)}" for c, v in self._overrides.items()]
        self._override_list.value = (
            element("small", f"当前自定义阈值：{'；'.join(names)}") if names else ""
        )

    def _on_export_click(self, _button) -> None:
        with self._status.guard():
            if self._result is None:
                raise JianfuError("请先在“两个时期对比”模式下生成对比表")
            table = self._result.table
            data = table_xlsx(export_view(table), sheet="对比表")
            self._downloads.children = [
                download_link(data, export_filename(table), MIMES["xlsx"], "点击下载对比表")
            ]
