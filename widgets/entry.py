"""The 录入 app: pick a unit and a period, fill the catalog form, import, export.

The app shell owns the store; its children get data and callbacks. Typed values
are never lost silently: switching unit or period with unsaved edits asks first,
and a save applies only if the stored values are still those the form showed.
"""

from __future__ import annotations

import ipywidgets as w

from jianfu.dataio.all_data import export_csv, export_xlsx
from jianfu.dataio.form import (
    check_field,
    default_choice,
    read_form,
    saved_table,
    unsaved_fields,
)
from jianfu.numbers.format import fraction_as_percent, plain
from jianfu.store import UNIT_LEVELS, ConflictError, Store

from .common import open_page, replace_children, title_bar
from .confirm import ConfirmBar
from .custom_indicator import CustomIndicatorForm
from .handles import Handles
from .import_panel import ImportActions, ImportPanel
from .indicator_form import IndicatorField, IndicatorForm
from .labels_panel import LabelActions, LabelsPanel
from .status import StatusLine
from .tables import frame_html
from .templating import element

SAVED_TAB = 1
IMPORT_TAB, LABELS_TAB, CUSTOM_TAB = 2, 3, 4  # built when first opened or used


class EntryApp(Handles, w.VBox):
    """The data-entry page. Owns the store; every child gets what it needs passed in."""

    INPUTS = ("unit", "period")
    BUTTONS = ("save",)
    OUTPUTS = ("saved",)

    def __init__(self, store: Store):
        self._store = store
        self._catalog = store.catalog()
        self._unit = w.Dropdown(description="单位", layout=w.Layout(width="320px"))
        self._period = w.Dropdown(description="时期", layout=w.Layout(width="240px"))
        self._shown: tuple[str | None, str | None] = (None, None)  # what the form holds
        self._loaded: dict[str, float] = {}  # stored values when the form was filled
        self._confirmed: set[str] = set()  # doubtful values the user said are right
        self._form = IndicatorForm(self._catalog)
        self._save = w.Button(
            description="保存", button_style="primary", layout=w.Layout(width="160px")
        )
        self._status = StatusLine()
        self._ask = ConfirmBar()
        self._saved = w.HTML()
        # 导入导出, 单位和时期, 自定义指标: some 200 widget models the browser would load
        # with every page; built when their tab is first opened or the page uses them
        self._imports: ImportPanel | None = None
        self._labels: LabelsPanel | None = None
        self._custom: CustomIndicatorForm | None = None

        self._unit.observe(self._on_selection_change, names="value")
        self._period.observe(self._on_selection_change, names="value")
        self._save.on_click(self._on_save_click)

        self._tabs = w.Tab(
            children=self._tab_pages(),
            titles=("填报", "已保存数据", "导入导出", "单位和时期", "自定义指标"),
        )
        self._tabs.observe(self._on_tab_change, names="selected_index")
        super().__init__(
            [title_bar("数据录入", "按单位和时期填报减负指标，可导入 Excel/CSV"), self._tabs]
        )
        self.add_class("jf-entry")
        self._open_on_default()

    @classmethod
    def from_default_store(cls) -> EntryApp:
        """The app on the database named by $JIANFU_DB_URL / $JIANFU_DATA_DIR.

        In a preheated kernel the widgets are built before anyone waits (they are
        most of the opening time) and the data is read again when the visitor comes.
        """
        store = Store.default()
        return open_page(lambda: cls(store), "entry")

    def refresh_if_stale(self) -> EntryApp:
        """Show what the store holds now, as a freshly opened page would (the page protocol)."""
        catalog = self._store.catalog()
        if catalog != self._catalog:
            self._use_catalog(catalog)
        self._open_on_default(reload=True)
        return self

    @property
    def unsaved(self) -> list[str]:
        """Codes of fields edited since the form was filled or saved."""
        return unsaved_fields(self._loaded, self._form.value)

    @property
    def labels(self) -> LabelsPanel:
        """The 单位和时期 tab."""
        return self._panel(LABELS_TAB)

    @property
    def imports(self) -> ImportPanel:
        """The 导入导出 tab."""
        return self._panel(IMPORT_TAB)

    @property
    def custom(self) -> CustomIndicatorForm:
        """The 自定义指标 tab."""
        return self._panel(CUSTOM_TAB)

    @property
    def fields(self) -> dict[str, IndicatorField]:
        """The form's fields by indicator code."""
        return self._form.fields

    def field(self, code: str) -> IndicatorField:
        return self._form.field(code)

    @property
    def values(self) -> dict[str, str]:
        """Indicator code -> the text in its field, as the form shows it."""
        return dict(self._form.value)

    @property
    def shown(self) -> tuple[str | None, str | None]:
        """The unit and period whose values the form holds."""
        return self._shown

    @property
    def message(self) -> str:
        """The feedback line under the form, as plain text."""
        return self._status.text

    def saved_table(self):
        """The 已保存数据 table of the selected unit (periods side by side)."""
        if not self._unit.value:
            return None
        obs = self._store.observations([self._unit.value])
        return saved_table(obs, self._catalog, self._unit.value, self._store.periods())

    # ---- layout ---------------------------------------------------------
    def _tab_pages(self) -> list[w.Widget]:
        pickers = w.HBox([self._unit, self._period])
        pickers.add_class("jf-wrap")
        # The save button and what it says stay together at the bottom of the screen,
        # where the user is looking after filling the form (jianfu.css .jf-savebar).
        save_bar = w.VBox([self._ask, w.HBox([self._save]), self._status])
        save_bar.add_class("jf-savebar")
        entry = w.VBox([pickers, self._form, save_bar])
        saved = w.VBox([w.HTML("<p>所选单位已保存的数据，各时期并列显示。</p>"), self._saved])
        later = [self._imports, self._labels, self._custom]
        return [entry, saved, *(panel or w.VBox() for panel in later)]

    def _panel(self, tab: int) -> w.Widget:
        """The panel of a tab built on first use, built now if need be."""
        built = {IMPORT_TAB: self._imports, LABELS_TAB: self._labels, CUSTOM_TAB: self._custom}
        if built[tab] is not None:
            return built[tab]
        if tab == IMPORT_TAB:
            panel = self._imports = ImportPanel(
                self._catalog, self._import_actions(), self._on_data_changed
            )
        elif tab == LABELS_TAB:
            panel = self._labels = LabelsPanel(
                UNIT_LEVELS, self._label_actions(), self._on_labels_changed
            )
            panel.refresh(self._store.units(), self._store.periods())
        else:
            panel = self._custom = CustomIndicatorForm(
                on_add=self._on_custom_add, parts=self._ratio_parts()
            )
        pages = list(self._tabs.children)
        pages[tab] = panel
        replace_children(self._tabs, pages)  # the placeholder is closed
        return panel

    def _import_actions(self) -> ImportActions:
        from jianfu.dataio.importer import import_file
        from jianfu.dataio.template import template_xlsx

        store = self._store

        def export(kind: str) -> tuple[bytes, int]:
            obs = store.observations()
            write = export_xlsx if kind == "xlsx" else export_csv
            return write(obs, store.catalog()), len(obs)

        return ImportActions(
            read_file=lambda data, name, **options: import_file(
                data, name, store.catalog(), **options
            ),
            preview=store.preview,
            save=store.save_observations,
            template=lambda: template_xlsx(store.catalog(), store.unit_names(), store.periods()),
            export=export,
        )

    def _label_actions(self) -> LabelActions:
        store = self._store
        return LabelActions(
            add_unit=store.add_unit,
            update_unit=store.update_unit,
            rename_unit=store.rename_unit,
            delete_unit=store.delete_unit,
            add_period=store.add_period,
            rename_period=store.rename_period,
            delete_period=store.delete_period,
            set_period_order=store.set_period_order,
            count_values=store.value_count,
        )

    # ---- handlers -------------------------------------------------------
    def _on_selection_change(self, _change) -> None:
        target = (self._unit.value, self._period.value)
        if target == self._shown:
            return
        edited = self.unsaved
        if not edited:
            self._switch()
            return
        self._select(*self._shown)  # stay until the user decides
        names = "、".join(self._catalog[c].name for c in edited[:3])
        more = f"等{len(edited)}项" if len(edited) > 3 else ""
        self._ask.ask(
            f"“{self._shown[0]} {self._shown[1]}”有未保存的修改（{names}{more}）。切换前要保存吗？",
            [
                ("保存后切换", lambda: self._save_then(target), "primary"),
                ("放弃修改并切换", lambda: self._select(*target, switch=True), "warning"),
                ("留在这里", lambda: None, ""),
            ],
        )

    def _on_tab_change(self, change) -> None:
        if change["new"] == SAVED_TAB:
            self._show_saved()
        elif change["new"] in (IMPORT_TAB, LABELS_TAB, CUSTOM_TAB):
            self._panel(change["new"])

    def _on_save_click(self, _button) -> None:
        self._save_form()

    def _on_data_changed(self) -> None:
        self._refresh_choices(self._unit.value, self._period.value, reload=True)
        self._show_saved()

    def _on_labels_changed(self, unit: str | None, period: str | None) -> None:
        keep_unit = unit if unit is not None else self._unit.value
        keep_period = period if period is not None else self._period.value
        self._refresh_choices(keep_unit, keep_period, reload=True)

    def _on_custom_add(self, entry: dict) -> str:
        indicator = self._store.add_custom_indicator(entry)
        self._use_catalog(self._store.catalog())
        self._load_form()
        return indicator.name

    def _use_catalog(self, catalog) -> None:
        """Rebuild the parts that list the indicators (the form, the import panel)."""
        self._catalog = catalog
        self._form = IndicatorForm(catalog)
        self._imports = None  # lists the indicators: built again when next opened
        if self._custom is not None:
            self._custom.set_parts(self._ratio_parts())
        tab = self._tabs.selected_index
        self._tabs.children = self._tab_pages()
        self._tabs.selected_index = tab  # stay where the user is, with the message in view
        if tab in (IMPORT_TAB, LABELS_TAB, CUSTOM_TAB):
            self._panel(tab)

    def _ratio_parts(self) -> list[tuple[str, str]]:
        return [(i.label, i.code) for i in self._catalog if i.kind == "count"]

    # ---- saving ---------------------------------------------------------
    def _save_form(self, check: bool = True, then: tuple | None = None) -> bool:
        """Save the form in one transaction; True when saved. ``then`` switches afterwards."""
        unit, period = self._shown
        with self._status.guard():
            result = read_form(self._catalog, unit, period, self._form.value, self._confirmed)
            self._form.show_errors(result.errors)
            if not result.ok:
                self._status.error(_errors_line(result.errors))
                return False
            if result.questions:
                self._ask_fraction(next(iter(result.questions.items())), then)
                return False
            cleared = [c for c in result.cleared if c in self._loaded]
            keys = [(unit, period, c) for c in self._form.value]
            expected = {k: self._loaded.get(k[2], float("nan")) for k in keys} if check else None
            try:
                saved = self._store.save_observations(
                    result.rows,
                    source="表单录入",
                    clear=[(unit, period, c) for c in cleared],
                    expected=expected,
                )
            except ConflictError as exc:
                self._status.error(str(exc))
                self._ask.ask(
                    "请选择：",
                    [
                        ("载入最新数据（放弃我的修改）", self._load_form, ""),
                        ("用我填的数据覆盖", lambda: self._save_form(False, then), "danger"),
                    ],
                )
                return False
            self._loaded = self._store.values_of(unit, period)
            self._confirmed.clear()
            self._status.ok(f"{unit} {period} {saved.summary()}")
            if then is not None:
                self._select(*then, switch=True)
            return True
        return False

    def _save_then(self, target: tuple) -> None:
        self._save_form(then=target)

    def _ask_fraction(self, question: tuple[str, str], then: tuple | None) -> None:
        code, text = question
        value, _ = check_field(self._catalog[code], self._form.value[code])

        def as_percent() -> None:
            self._form.set_text(code, plain(fraction_as_percent(value)))
            self._save_form(then=then)

        def as_typed() -> None:
            self._confirmed.add(code)
            self._save_form(then=then)

        self._ask.ask(
            text,
            [
                (f"是{plain(fraction_as_percent(value))}%", as_percent, "primary"),
                (f"就是{plain(value)}%", as_typed, ""),
            ],
        )

    # ---- helpers --------------------------------------------------------
    def _select(self, unit: str | None, period: str | None, switch: bool = False) -> None:
        """Point the pickers at (unit, period) without triggering the unsaved-edit check."""
        self._unit.unobserve(self._on_selection_change, names="value")
        self._period.unobserve(self._on_selection_change, names="value")
        try:
            if unit in self._unit.options:
                self._unit.value = unit
            if period in self._period.options:
                self._period.value = period
        finally:
            self._unit.observe(self._on_selection_change, names="value")
            self._period.observe(self._on_selection_change, names="value")
        if switch:
            self._switch()

    def _switch(self) -> None:
        self._ask.hide()
        self._status.clear()
        self._load_form()
        self._show_saved()

    def _open_on_default(self, reload: bool = False) -> None:
        """Point the pickers where a freshly opened page starts (first unit, latest period)."""
        names, labels = self._store.unit_names(), self._store.periods()
        first = default_choice(self._store.observations(names[:1]), names, labels)
        self._refresh_choices(*first, reload=reload)

    def _refresh_choices(
        self, unit: str | None = None, period: str | None = None, reload: bool = False
    ) -> None:
        names, labels = self._store.unit_names(), self._store.periods()
        self._unit.unobserve(self._on_selection_change, names="value")
        self._period.unobserve(self._on_selection_change, names="value")
        try:
            self._unit.options = names
            self._period.options = labels
            self._unit.value = unit if unit in names else (names[0] if names else None)
            self._period.value = period if period in labels else (labels[-1] if labels else None)
        finally:
            self._unit.observe(self._on_selection_change, names="value")
            self._period.observe(self._on_selection_change, names="value")
        if self._labels is not None:
            self._labels.refresh(self._store.units(), labels)
        if reload or (self._unit.value, self._period.value) != self._shown:
            self._load_form()

    def _load_form(self) -> None:
        unit, period = self._unit.value, self._period.value
        self._loaded = self._store.values_of(unit, period) if unit and period else {}
        self._confirmed.clear()
        self._form.fill(self._loaded)
        self._shown = (unit, period)

    def _show_saved(self) -> None:
        table = self.saved_table()
        if table is None:
            self._saved.value = "<p>（请先选择单位）</p>"
            return
        heading = element("h3", self._unit.value)
        self._saved.value = heading + frame_html(table)


def _errors_line(errors: dict[str, str]) -> str:
    picks = [errors[k] for k in ("unit", "period") if k in errors]
    fields = len(errors) - len(picks)
    parts = picks + ([f"有{fields}处需要修改（已用红框标出）"] if fields else [])
    return "；".join(parts) + "，未保存。"
