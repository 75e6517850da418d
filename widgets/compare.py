"""The 对比 app: pick units and periods; see the table, warnings, charts and data sentences."""

from __future__ import annotations

import html

import ipywidgets as w
import pandas as pd

from jianfu.catalog import CATEGORIES, LEVELS
from jianfu.compare.grids import descendants
from jianfu.compare.selection import (
    Comparison,
    Selection,
    check_pair,
    check_run,
    default_selection,
    run_comparison,
    run_trend,
)
from jianfu.compare.thresholds import checked_threshold
from jianfu.compare.views import (
    export_view,
    left_out_view,
    not_compared_view,
    table_view,
    trend_view,
    warnings_frame,
)
from jianfu.dataio.exporter import table_xlsx
from jianfu.errors import JianfuError
from jianfu.numfmt import plain
from jianfu.store import Store

from .common import download_link, title_bar, wait_for_visitor
from .status import StatusLine
from .tables import frame_html, note_html

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
VERDICT_CLASSES = {"改善": "jf-verdict-good", "恶化": "jf-verdict-bad", "新增": "jf-verdict-new"}
NO_DATA = "还没有任何数据。请先在“数据录入”中填报，或导入 Excel/CSV 文件，再来这里对比。"
CHART_TAB = 2
MODES = (("两个时期对比", "pair"), ("多个时期趋势", "trend"))


class CompareApp(w.VBox):
    """Comparison page; recomputes on every change so a facilitator can click live."""

    def __init__(self, store: Store):
        self._store = store
        self._catalog = store.catalog()
        self._obs = store.observations()
        periods = store.periods()
        start = default_selection(self._obs, periods)
        units = list(self._obs["unit"].drop_duplicates())
        self._mode = w.ToggleButtons(options=MODES, value="pair")
        self._units = w.SelectMultiple(
            options=units,
            value=start.units,
            description="单位",
            rows=6,
            layout=w.Layout(width="330px"),
        )
        self._group = w.Checkbox(value=False, description="把所选单位汇总为一个整体", indent=False)
        self._group_name = w.Text(
            value="合计", description="汇总名称", layout=w.Layout(width="240px")
        )
        self._hierarchy = store.units()
        parents = sorted(set(self._hierarchy["parent"]) - {""})
        self._parent = w.Dropdown(
            options=parents, description="上级单位", layout=w.Layout(width="260px")
        )
        self._rollup = w.Button(description="汇总其下级单位", disabled=not parents)
        self._rollup.on_click(self._on_rollup_click)
        self._before = w.Dropdown(options=periods, value=start.before, description="基期")
        self._after = w.Dropdown(options=periods, value=start.after, description="比较期")
        self._periods = w.SelectMultiple(options=periods, description="时期", rows=6)
        self._categories = w.SelectMultiple(
            options=[c for c in CATEGORIES if c in {i.category for i in self._catalog}],
            description="类别",
            rows=6,
            layout=w.Layout(width="260px"),
        )
        self._levels = w.HBox(
            [
                w.Checkbox(
                    value=True, description=level, indent=False, layout=w.Layout(width="70px")
                )
                for level in LEVELS
            ]
        )
        self._overrides: dict[str, float] = {}
        judged = [(i.label, i.code) for i in self._catalog if i.direction != "中性"]
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
            options=[("改善指标占比", None)] + judged,
            description="排名依据",
            layout=w.Layout(width="420px"),
        )
        self._status = StatusLine()
        self._table = w.HTML()
        self._warnings = w.HTML()
        self._charts = w.VBox()
        self._sentences = w.HTML()
        self._downloads = w.HBox()
        self._export = w.Button(description="导出对比表（Excel）")
        self._export.on_click(self._on_export_click)
        self._clear()
        for control in (
            self._mode,
            self._units,
            self._group,
            self._group_name,
            self._before,
            self._after,
            self._periods,
            self._categories,
            *self._levels.children,
            self._rank_by,
        ):
            control.observe(self._on_selection_change, names="value")
        self._period_box = w.VBox([self._before, self._after])
        self._figures: list | None = None  # built on demand: SVG rendering is the slow part
        self._tabs = w.Tab(
            children=[
                w.VBox([self._table, w.HBox([self._export]), self._downloads]),
                self._warnings,
                w.VBox([self._rank_by, self._charts]),
                self._sentences,
            ],
            titles=("对比表", "预警", "图表", "数据句"),
        )
        self._tabs.observe(self._on_tab_change, names="selected_index")
        super().__init__(
            [
                title_bar("对比分析", "改革前后、逐年变化：哪些降了，哪些没降"),
                self._mode,
                w.HBox([self._units, self._period_box, self._categories]),
                w.HBox([self._group, self._group_name, self._parent, self._rollup]),
                w.HBox([w.Label("预警依据："), self._levels]),
                self._override_box(),
                self._status,
                self._tabs,
            ]
        )
        self.add_class("jf-compare")
        self._refresh()

    def _override_box(self) -> w.Accordion:
        hint = w.HTML(
            "<small>用本地的标准代替目录中的阈值（越少越好的指标为上限，越多越好的为下限；"
            "“较基期至少减少”类规则填百分比）。</small>"
        )
        box = w.VBox(
            [
                hint,
                w.HBox(
                    [
                        self._override_indicator,
                        self._override_value,
                        self._override_set,
                        self._override_clear,
                    ]
                ),
                self._override_list,
            ]
        )
        accordion = w.Accordion(children=[box], titles=("自定义阈值",))
        accordion.selected_index = None
        return accordion

    @classmethod
    def from_default_store(cls) -> CompareApp:
        """The app on the database named by $JIANFU_DB_URL / $JIANFU_DATA_DIR.

        In a preheated kernel, the store is opened when the visitor arrives (fresh data).
        """
        wait_for_visitor()
        return cls(Store.default())

    def selection(self) -> Selection:
        disabled = frozenset(c.description for c in self._levels.children if not c.value)
        return Selection(
            units=tuple(self._units.value),
            group=self._group_name.value.strip() or "合计" if self._group.value else None,
            before=self._before.value,
            after=self._after.value,
            periods=tuple(p for p in self._periods.options if p in self._periods.value),
            categories=tuple(self._categories.value),
            disabled_levels=disabled,
            overrides=tuple(self._overrides.items()),
            rank_by=self._rank_by.value,
        )

    def _on_selection_change(self, _change) -> None:
        trend = self._mode.value == "trend"
        self._period_box.children = [self._periods] if trend else [self._before, self._after]
        self._refresh()

    def _on_rollup_click(self, _button) -> None:
        """Select the parent's lowest-level units and sum them (no double counting)."""
        parent = self._parent.value
        below = descendants(self._hierarchy, parent, leaves_only=True)
        chosen = tuple(u for u in self._units.options if u in below)
        if not chosen:
            self._status.error(f"“{parent}”的下级单位没有数据")
            return
        with self.hold_trait_notifications():
            self._group_name.value = f"{parent}（下级合计）"
            self._group.value = True
            self._units.value = chosen

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
            f"<small>当前自定义阈值：{html.escape('；'.join(names))}</small>" if names else ""
        )

    def _on_tab_change(self, _change) -> None:
        self._show_charts()

    def _show_charts(self) -> None:
        """Render the pending figures once the 图表 tab is open."""
        if self._tabs.selected_index != CHART_TAB or self._figures is None:
            return
        figures, self._figures = self._figures, None
        with self._status.guard():
            self._charts.children = [ChartPanel(name, build()) for name, build in figures]

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
    def message(self) -> str:
        return self._status.text

    @property
    def chart_names(self) -> list[str]:
        """The charts drawn (or waiting for the 图表 tab) for the current selection."""
        drawn = [panel.name for panel in self._charts.children]
        return drawn or [name for name, _ in self._figures or []]

    def _refresh(self) -> None:
        """Recompute; everything from the previous selection goes first, so a failed
        selection never leaves another unit's figures on screen."""
        self._clear()
        with self._status.guard():
            self._status.clear()
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
        self._figures = None
        for output in (self._table, self._warnings, self._sentences):
            output.value = ""
        self._charts.children = []
        self._downloads.children = []

    def _show_pair(self, sel: Selection) -> None:
        check_pair(sel, self._periods.options, self._units.options)
        result = run_comparison(self._obs, self._catalog, sel)
        table = result.table
        if table.empty:
            raise JianfuError("所选单位在这两个时期没有数据")
        self._result = result
        compared = result.compared
        view = table_view(table).assign(
            _class=compared["verdict"].map(VERDICT_CLASSES).fillna("").to_numpy()
        )
        parts = [frame_html(view, max_rows=500, row_class="_class")]
        if not result.not_compared.empty:
            parts.append(note_html("以下指标只有一个时期有数据，未作比较（缺少数据不等于0）："))
            parts.append(frame_html(not_compared_view(table), max_rows=500))
        if result.left_out_note:
            parts.append(note_html(result.left_out_note))
            parts.append(frame_html(left_out_view(table), max_rows=500))
        self._table.value = "".join(parts)
        warnings = warnings_frame(table)
        self._warnings.value = (
            frame_html(warnings) if not warnings.empty else "<p>所选范围内没有触发预警。</p>"
        )
        self._said = result.sentences
        self._sentences.value = _sentences_html(result.sentences)
        before, after = sel.before, sel.after
        figures = [
            ("变化率", lambda: _chart_builders().change_bars(table)),
            ("基期与比较期", lambda: _chart_builders().before_after_bars(table, before, after)),
        ]
        if table["unit"].nunique() == 1:
            figures.append(
                (
                    "分类小图",
                    lambda: _chart_builders().category_small_multiples(table, before, after),
                )
            )
        if result.ranking is not None:
            ranking = result.ranking
            rank_label = self._rank_by.label if sel.rank_by else "改善指标占比（%）"
            if sel.rank_by:
                rank_label = f"{rank_label}变化幅度（%）"
            figures.append(
                (
                    "单位排名",
                    lambda: _chart_builders().ranking_bars(
                        ranking, title=f"单位排名：{rank_label}", value_title=rank_label
                    ),
                )
            )
        self._figures = figures
        self._show_charts()

    def _show_trend(self, sel: Selection) -> None:
        check_run(sel, self._periods.options, self._units.options)
        table, sentences = run_trend(self._obs, self._catalog, sel)
        if table.empty:
            raise JianfuError("所选单位在这些时期没有数据")
        parts = [frame_html(trend_view(table, list(sel.periods)), max_rows=500)]
        if table.attrs.get("left_out"):
            parts.append(frame_html(left_out_view(table), max_rows=500))
        self._table.value = "".join(parts)
        self._trend = table
        self._warnings.value = "<p>趋势模式下，预警见“两个时期对比”。</p>"
        self._said = sentences
        self._sentences.value = _sentences_html(sentences)
        codes = list(table["indicator"].drop_duplicates())[:8]
        levels = [c.description for c in self._levels.children if c.value]
        self._figures = [
            (
                "趋势",
                lambda: _chart_builders().trend_lines(table, self._catalog, codes, levels=levels),
            )
        ]
        self._show_charts()

    def _on_export_click(self, _button) -> None:
        with self._status.guard():
            if self._result is None:
                raise JianfuError("请先在“两个时期对比”模式下生成对比表")
            data = table_xlsx(export_view(self._result.table), sheet="对比表")
            self._downloads.children = [
                download_link(data, "对比表.xlsx", XLSX_MIME, "点击下载对比表")
            ]


def _chart_builders():
    """jianfu.charts.builders on first use: altair costs ~1 s, paid when a chart is first drawn."""
    from jianfu.charts import builders as charts

    return charts


class ChartPanel(w.VBox):
    """One chart as inline SVG (works offline) with PNG/SVG downloads for slides."""

    def __init__(self, name: str, chart):
        from jianfu.charts.export import chart_svg_html

        self.name = name
        self._chart = chart
        self._png = w.Button(description="下载PNG（幻灯片）")
        self._svg = w.Button(description="下载SVG")
        self._links = w.HBox()
        self._status = StatusLine()
        self._png.on_click(lambda _: self._download("png"))
        self._svg.on_click(lambda _: self._download("svg"))
        super().__init__(
            [
                w.HTML(chart_svg_html(chart)),
                w.HBox([self._png, self._svg, self._links]),
                self._status,
            ]
        )
        self.add_class("jf-chart")

    def _download(self, kind: str) -> None:
        from jianfu.charts.export import to_png, to_svg

        with self._status.guard():
            if kind == "png":
                data, mime = to_png(self._chart), "image/png"
            else:
                data, mime = to_svg(self._chart).encode("utf-8"), "image/svg+xml"
            self._links.children = [
                download_link(data, f"{self.name}.{kind}", mime, f"保存{kind.upper()}")
            ]


def _sentences_html(sentences: list[str]) -> str:
    if not sentences:
        return "<p>没有可生成的数据句。</p>"
    text = "。".join(sentences) + "。"
    items = "".join(f"<li>{html.escape(s)}。</li>" for s in sentences)
    copy = (
        '<button class="jf-copy" '
        f'data-text="{html.escape(text)}" '
        "onclick=\"navigator.clipboard.writeText(this.dataset.text);this.textContent='已复制'\">"
        "复制全部数据句</button>"
    )
    return f'<ol class="jf-sentences">{items}</ol>{copy}'
