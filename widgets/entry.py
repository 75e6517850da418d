"""The 录入 app: pick a unit and a period, fill the catalog form, import, export."""

from __future__ import annotations

import ipywidgets as w

from jianfu.dataio.form import default_choice, read_form, saved_table, split_labels
from jianfu.store import UNIT_LEVELS, Store

from .common import title_bar, wait_for_visitor
from .custom_indicator import CustomIndicatorForm
from .import_panel import ImportPanel
from .indicator_form import IndicatorForm
from .status import StatusLine
from .tables import frame_html

NEW_UNIT_HINT = "新增单位"


class EntryApp(w.VBox):
    """The data-entry page. Owns the store; every child gets what it needs passed in."""

    def __init__(self, store: Store):
        self._store = store
        self._catalog = store.catalog()
        self._unit = w.Dropdown(description="单位", layout=w.Layout(width="320px"))
        self._period = w.Dropdown(description="时期", layout=w.Layout(width="240px"))
        self._new_unit = w.Text(placeholder="单位名称，如：某某镇", layout=w.Layout(width="200px"))
        self._new_level = w.Dropdown(
            options=UNIT_LEVELS, value="乡镇", layout=w.Layout(width="90px")
        )
        self._new_parent = w.Dropdown(layout=w.Layout(width="180px"))
        self._add_unit = w.Button(description="添加单位")
        self._new_period = w.Text(placeholder="如：2025年、改革后", layout=w.Layout(width="200px"))
        self._add_period = w.Button(description="添加时期")
        self._period_order = w.Text(
            description="时期顺序",
            placeholder="用顿号或逗号分隔，如：改革前、改革后",
            layout=w.Layout(width="520px"),
        )
        self._save_order = w.Button(description="保存顺序")
        self._form = IndicatorForm(self._catalog)
        self._save = w.Button(
            description="保存", button_style="primary", layout=w.Layout(width="160px")
        )
        self._status = StatusLine()
        self._saved = w.HTML()
        self._imports = ImportPanel(store, on_saved=self._on_data_changed)
        self._custom = CustomIndicatorForm(on_add=self._on_custom_add)

        self._unit.observe(self._on_selection_change, names="value")
        self._period.observe(self._on_selection_change, names="value")
        self._add_unit.on_click(self._on_add_unit_click)
        self._add_period.on_click(self._on_add_period_click)
        self._save_order.on_click(self._on_save_order_click)
        self._save.on_click(self._on_save_click)

        self._tabs = w.Tab(
            children=[self._entry_tab(), self._saved_tab(), self._imports, self._custom],
            titles=("填报", "已保存数据", "导入导出", "自定义指标"),
        )
        self._tabs.observe(self._on_tab_change, names="selected_index")
        super().__init__(
            [title_bar("数据录入", "按单位和时期填报减负指标，可导入 Excel/CSV"), self._tabs]
        )
        self.add_class("jf-entry")
        names, labels = store.unit_names(), store.periods()
        self._refresh_choices(*default_choice(store.observations(names[:1]), names, labels))

    @classmethod
    def from_default_store(cls) -> EntryApp:
        """The app on the database named by $JIANFU_DB_URL / $JIANFU_DATA_DIR.

        In a preheated kernel, the store is opened when the visitor arrives (fresh data).
        """
        wait_for_visitor()
        return cls(Store.default())

    # ---- layout ---------------------------------------------------------
    def _entry_tab(self) -> w.VBox:
        adders = w.Accordion(
            children=[
                w.VBox(
                    [
                        w.HBox([self._new_unit, w.Label("层级"), self._new_level]),
                        w.HBox([w.Label("上级单位"), self._new_parent, self._add_unit]),
                        w.HBox([self._new_period, self._add_period]),
                        w.HBox([self._period_order, self._save_order]),
                    ]
                )
            ],
            titles=("添加单位或时期",),
        )
        adders.selected_index = None
        return w.VBox(
            [
                w.HBox([self._unit, self._period]),
                adders,
                self._form,
                w.HBox([self._save]),
                self._status,
            ]
        )

    def _saved_tab(self) -> w.VBox:
        return w.VBox([w.HTML("<p>所选单位已保存的数据，各时期并列显示。</p>"), self._saved])

    # ---- handlers -------------------------------------------------------
    def _on_selection_change(self, _change) -> None:
        self._load_form()
        self._show_saved()

    def _on_tab_change(self, change) -> None:
        if change["new"] == 1:
            self._show_saved()

    def _on_add_unit_click(self, _button) -> None:
        with self._status.guard():
            name = self._store.add_unit(
                self._new_unit.value, self._new_level.value, self._new_parent.value or None
            )
            self._new_unit.value = ""
            self._refresh_choices(unit=name)
            self._status.ok(f"已添加单位“{name}”")

    def _on_add_period_click(self, _button) -> None:
        with self._status.guard():
            label = self._store.add_period(self._new_period.value)
            self._new_period.value = ""
            self._refresh_choices(period=label)
            self._status.ok(f"已添加时期“{label}”")

    def _on_save_order_click(self, _button) -> None:
        """Charts and trend checks follow this order (years sort by year until changed)."""
        with self._status.guard():
            self._store.set_period_order(split_labels(self._period_order.value))
            self._refresh_choices(unit=self._unit.value, period=self._period.value)
            self._status.ok("已保存时期顺序：" + "、".join(self._store.periods()))

    def _on_save_click(self, _button) -> None:
        with self._status.guard():
            result = read_form(
                self._catalog, self._unit.value, self._period.value, self._form.value
            )
            self._form.show_errors(result.errors)
            if not result.ok:
                picks = [result.errors[k] for k in ("unit", "period") if k in result.errors]
                fields = len(result.errors) - len(picks)
                parts = picks + ([f"有{fields}处需要修改（已用红框标出）"] if fields else [])
                self._status.error("；".join(parts) + "，未保存。")
                return
            saved = self._store.save_observations(result.rows, source="表单录入")
            stored = set(self._stored_values())
            removed = self._store.delete_observations(
                self._unit.value, self._period.value, [c for c in result.cleared if c in stored]
            )
            extra = f"，清除{removed}项" if removed else ""
            self._status.ok(f"{self._unit.value} {self._period.value} {saved.summary()}{extra}")
            self._show_saved()

    def _on_data_changed(self) -> None:
        self._refresh_choices(unit=self._unit.value, period=self._period.value)
        self._load_form()
        self._show_saved()

    def _on_custom_add(self, entry: dict) -> str:
        indicator = self._store.add_custom_indicator(entry)
        self._rebuild_form()
        return indicator.name

    # ---- helpers --------------------------------------------------------
    def _refresh_choices(self, unit: str | None = None, period: str | None = None) -> None:
        names = self._store.unit_names()
        labels = self._store.periods()
        with self.hold_trait_notifications():
            self._unit.options = names
            self._period.options = labels
            self._period_order.value = "、".join(labels)
            self._new_parent.options = [("（无）", "")] + [(n, n) for n in names]
            if unit in names:
                self._unit.value = unit
            if period in labels:
                self._period.value = period
        self._load_form()

    def _stored_values(self) -> dict[str, float]:
        if not (self._unit.value and self._period.value):
            return {}
        obs = self._store.observations([self._unit.value], [self._period.value])
        return dict(zip(obs["indicator"], obs["value"], strict=True))

    def _load_form(self) -> None:
        self._form.fill(self._stored_values())

    def _show_saved(self) -> None:
        if not self._unit.value:
            self._saved.value = "<p>（请先选择单位）</p>"
            return
        obs = self._store.observations([self._unit.value])
        table = saved_table(obs, self._catalog, self._unit.value, self._store.periods())
        self._saved.value = frame_html(table)

    def _rebuild_form(self) -> None:
        self._catalog = self._store.catalog()
        self._form = IndicatorForm(self._catalog)
        self._tabs.children = [self._entry_tab(), self._saved_tab(), self._imports, self._custom]
        self._load_form()
