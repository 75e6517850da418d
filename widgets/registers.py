"""台账 page: register a document, meeting or inspection, see its warnings, import, derive.

Everything is done through jianfu.registers (one place for the rules); this module
only wires the controls. A repeat is registered only after the user confirms (an
import lists its repeats and registers them on “仍然登记这些记录”); a derived figure
that differs from a typed one is written only after the user chooses it over the
typed value.
"""

from __future__ import annotations

from datetime import date

import ipywidgets as w
import pandas as pd

from jianfu.errors import JianfuError
from jianfu.registers import RegisterError, RegisterKind
from jianfu.registers.derive import Figure, derive
from jianfu.registers.handoff import write
from jianfu.registers.importing import Imported, import_register, register_repeats
from jianfu.registers.report import all_warnings, figure_lines
from jianfu.registers.store import RegisterStore
from jianfu.registers.values import shown
from jianfu.registers.warnings import row_warnings
from jianfu.store import Store

from .common import open_page, title_bar
from .confirm import ConfirmBar
from .handles import Handles
from .status import StatusLine
from .tables import frame_html, messages_html

WIDE = w.Layout(width="100%")
STYLE = {"description_width": "120px"}
BOOL = {"": None, "是": "是", "否": "否"}
SHOWN_ROWS = 30


class RegisterPage(Handles, w.VBox):
    INPUTS = ("kind", "unit", "period", "upload", "row_id")
    BUTTONS = ("add", "load", "save", "import_", "keep_repeats", "derive", "write")
    OUTPUTS = ("warnings", "rows", "figures", "repeats")

    def __init__(self, store: Store, registers: RegisterStore):
        self._store, self._registers = store, registers
        self._derived: list[Figure] = []
        self._imported: Imported | None = None
        kinds = list(registers.kinds)
        self._kind = w.ToggleButtons(options=kinds, description="台账", style=STYLE)
        self._unit = w.Combobox(description="单位", options=self._unit_names(), style=STYLE)
        self._unit.add_class("jf-unit")
        self._fields = w.VBox(layout=WIDE)
        self._controls: dict[str, w.Widget] = {}
        self._add = w.Button(description="登记", button_style="primary")
        self._row_id = w.BoundedIntText(description="编号", min=0, max=10**9, style=STYLE)
        self._load = w.Button(description="载入这条记录")
        self._save = w.Button(description="保存修改")
        self._upload = w.FileUpload(accept=".xlsx,.csv", multiple=False, description="选择文件")
        self._import_ = w.Button(description="导入台账文件")
        self._repeats = w.HTML()
        self._keep_repeats = w.Button(
            description="仍然登记这些记录", button_style="warning", layout=w.Layout(display="none")
        )
        self._period = w.Text(description="时期", placeholder="如 2026年、2026年9月", style=STYLE)
        self._derive = w.Button(description="由台账计算指标")
        self._write = w.Button(description="写入数据库（来源：台账）")
        self._status, self._ask = StatusLine(), ConfirmBar()
        self._status.add_class("jf-register-status")
        self._warnings, self._rows, self._figures = w.HTML(), w.HTML(), w.HTML()
        self._wire()
        super().__init__(
            [
                title_bar("台账", "发文、会议、督检考逐条登记：指标由台账计算，超限随时预警"),
                self._kind, self._unit, self._fields, self._add,
                w.HBox([self._row_id, self._load, self._save]), self._status, self._ask,
                w.HTML("<h4>预警</h4>"), self._warnings,
                w.HTML("<h4>导入台账</h4>"), w.HBox([self._upload, self._import_]),
                self._repeats, self._keep_repeats,
                w.HTML("<h4>计算指标</h4>"), w.HBox([self._period, self._derive, self._write]),
                self._figures,
                w.HTML("<h4>已登记</h4>"), self._rows,
            ],
            layout=WIDE,
        )  # fmt: skip
        self.add_class("jf-registers")
        self._show_fields()

    @classmethod
    def from_default_store(cls) -> RegisterPage:
        store = Store.default()
        return open_page(
            lambda: cls(store, RegisterStore(store.url, engine=store.engine)), "registers"
        )

    def refresh_if_stale(self) -> RegisterPage:
        self._unit.options = self._unit_names()
        self._show_unit()
        return self

    # ---- the form -------------------------------------------------------------
    def fill(self, **values: str) -> None:
        """Type into the row's fields by their label, as a user would."""
        for label, value in values.items():
            self._controls[label].value = value

    @property
    def kind(self) -> RegisterKind:
        return self._registers.kind(self._kind.value)

    def _wire(self) -> None:
        self._kind.observe(lambda _: self._show_fields(), "value")
        self._unit.observe(lambda _: self._show_unit(), "value")
        self._add.on_click(lambda _: self.add())
        self._load.on_click(lambda _: self.load())
        self._save.on_click(lambda _: self.save())
        self._import_.on_click(lambda _: self.import_file())
        self._keep_repeats.on_click(lambda _: self.keep_repeats())
        self._derive.on_click(lambda _: self.derive())
        self._write.on_click(lambda _: self.write())

    def _show_fields(self) -> None:
        self._controls = {f.label: _control(f) for f in self.kind.fields}
        for f in self.kind.fields:  # a handle for browser tests and screen readers' styles
            self._controls[f.label].add_class(f"jf-field-{f.code}")
        self._fields.children = list(self._controls.values())
        self._show_unit()

    def _typed(self) -> dict[str, object]:
        return {label: c.value for label, c in self._controls.items()}

    def add(self, allow_repeat: bool = False) -> None:
        try:
            added = self._registers.add(
                self.kind.name, self._unit.value, self._typed(), allow_repeat=allow_repeat
            )
        except RegisterError as exc:
            if "重复" in str(exc) and not allow_repeat:
                self._ask.ask(str(exc), [("仍然登记", lambda: self.add(True), "warning"),
                                         ("取消", lambda: None, "")])  # fmt: skip
            self._status.error(str(exc))
            return
        row = self._registers.row(added.ids[0])
        said = [a.text for a in row_warnings([row])]
        message = f"已登记（台账第{row.id}号）"
        if said:
            self._status.info(message + "。预警：" + "；".join(said))
        else:
            self._status.ok(message + "。")
        for control in self._controls.values():
            control.value = "" if not isinstance(control, w.Dropdown) else control.options[0]
        self._show_unit()

    def load(self) -> None:
        """Put a registered row into the form, to be corrected and saved."""
        try:
            row = self._registers.row(self._row_id.value)
        except RegisterError as exc:
            self._status.error(str(exc))
            return
        kind = next(k for k in self._registers.kinds.values() if k.code == row.kind)
        self._kind.value, self._unit.value = kind.name, row.unit
        for f in kind.fields:
            control, value = self._controls[f.label], row.values.get(f.code)
            text = value.isoformat() if isinstance(value, date) else shown(f, value)
            control.value = text if text in getattr(control, "options", (text,)) else ""
        self._status.info(f"已载入台账第{row.id}号，修改后点“保存修改”")

    def save(self) -> None:
        try:
            row = self._registers.update(self._row_id.value, self._typed())
        except RegisterError as exc:
            self._status.error(str(exc))
            return
        said = [a.text for a in row_warnings([row])]
        self._status.ok(
            f"已保存台账第{row.id}号的修改" + ("。预警：" + "；".join(said) if said else "。")
        )
        self._show_unit()

    def import_file(self) -> None:
        files = list(self._upload.value)
        if not files:
            self._status.error("请先选择台账文件（.xlsx 或 .csv）")
            return
        upload = files[0]
        self._show_repeats(None)
        try:
            done = import_register(self._registers, bytes(upload["content"]), upload["name"],
                                   self.kind.name, self._unit.value)  # fmt: skip
        except JianfuError as exc:
            self._status.error(str(exc))
            return
        self._status.ok(done.summary())
        self._show_repeats(done)
        self._show_unit()

    def keep_repeats(self) -> None:
        """Register the repeats the last import left out, now that the user has seen them."""
        if self._imported is None:
            return
        try:
            added = register_repeats(self._registers, self._imported)
        except JianfuError as exc:
            self._status.error(str(exc))
            return
        self._show_repeats(None)
        self._status.ok(f"已仍然登记{len(added.ids)}条（台账第{'、'.join(map(str, added.ids))}号）")
        self._show_unit()

    def _show_repeats(self, done: Imported | None) -> None:
        """The repeats an import left out, with the fields they share, and the button."""
        held = bool(done and done.added.held)
        self._imported = done if held else None
        title = f"以下{len(done.added.held)}条与已登记的记录重复，未登记" if held else ""
        self._repeats.value = messages_html(list(done.added.repeats), title) if held else ""
        self._keep_repeats.layout.display = None if held else "none"

    # ---- derived figures ------------------------------------------------------
    def derive(self) -> None:
        try:
            self._derived = derive(self._registers, self._unit.value, self._period.value)
        except JianfuError as exc:
            self._status.error(str(exc))
            return
        lines = figure_lines(self._derived) or ["这一时期没有台账记录"]
        self._figures.value = messages_html(lines, f"{self._unit.value} {self._period.value}")

    def write(self, replace: tuple[str, ...] = ()) -> None:
        if not self._derived:
            self._status.error("请先由台账计算指标")
            return
        try:
            done = write(self._store, self._registers, self._unit.value, self._period.value,
                         self._derived, replace)  # fmt: skip
        except JianfuError as exc:
            self._status.error(str(exc))
            return
        catalog = self._store.catalog()
        lines = [o.line(catalog[o.figure.code].name) for o in done]
        conflicts = tuple(o.figure.code for o in done if o.status == "冲突")
        self._figures.value = messages_html(lines, "写入结果")
        if conflicts:
            self._ask.ask(
                "台账计算值与已录入的值不同（见写入结果）。要用台账计算值覆盖吗？",
                [("用台账计算值覆盖", lambda: self.write(conflicts), "warning"),
                 ("保留已录入的值", lambda: None, "")],
            )  # fmt: skip
            self._status.info("部分指标与已录入的值不同，未覆盖，请选择")
        else:
            self._status.ok("已写入数据库，来源“台账”")

    # ---- what the unit has ----------------------------------------------------
    def _show_unit(self) -> None:
        unit = (self._unit.value or "").strip()
        if not unit:
            self._warnings.value = self._rows.value = ""
            return
        found = all_warnings(self._registers, self._store, unit, date.today())
        lines = [f"{w_['title']}：{w_['text']}" for w_ in found] or ["没有预警"]
        self._warnings.value = messages_html(lines)
        rows = self._registers.rows(self.kind.name, unit)[-SHOWN_ROWS:]
        table = pd.DataFrame(
            [{"编号": r.id, **{f.label: shown(f, r.values.get(f.code)) for f in self.kind.fields}}
             for r in reversed(rows)]
        )  # fmt: skip
        self._rows.value = frame_html(table) if len(table) else messages_html(["尚未登记"])

    def _unit_names(self) -> list[str]:
        return sorted(set(self._store.unit_names()) | set(self._registers.units()))


def _control(f) -> w.Widget:
    label = f.label + ("*" if f.required else "")
    if f.type == "choice":
        return w.Dropdown(options=["", *f.choices], description=label, style=STYLE)
    if f.type == "bool":
        return w.Dropdown(options=list(BOOL), description=label, style=STYLE)
    hint = {"date": "如 2026-03-05", "int": "整数", "number": "数字"}.get(f.type, f.help)
    return w.Text(description=label, placeholder=hint, style=STYLE, layout=WIDE)
