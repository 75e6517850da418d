"""Import a spreadsheet with a preview before anything is saved; template and export downloads.

A leaf widget: it gets the catalog and the actions to call (:class:`ImportActions`),
never the store. The preview's counts come from the same comparison the save uses,
and the save applies only if the previewed values are still what is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from jianfu.catalog import Catalog
from jianfu.dataio.importer import ImportResult
from jianfu.dataio.percent import AS_IS, PERCENT
from jianfu.dataio.preview import counts_text, preview_notes
from jianfu.dataio.readers import sheet_label
from jianfu.errors import ValidationError
from jianfu.numbers.format import plain
from jianfu.store import ConflictError, SaveResult
from jianfu.store.changes import counts, expected_values

from .common import MIMES, download_link
from .confirm import ConfirmBar
from .handles import Handles
from .status import StatusLine
from .tables import frame_html, messages_html
from .templating import element

MAX_UPLOAD_MB = 20
ROW_CLASSES = {"新增": "jf-row-added", "修改": "jf-row-changed"}


@dataclass(frozen=True)
class ImportActions:
    """What the panel may do; the app shell binds these to the core and the store."""

    read_file: Callable[..., ImportResult]  # read_file(data, name, sheet=, fractions=)
    preview: Callable[[pd.DataFrame], pd.DataFrame]  # jianfu.store.changes.diff rows
    save: Callable[..., SaveResult]  # save(frame, source=, expected=)
    template: Callable[[], bytes]
    export: Callable[[str], tuple[bytes, int]]  # kind "xlsx"/"csv" -> (file, rows)


class ImportPanel(Handles, w.VBox):
    """Upload → check → preview (新增/修改/不变) → confirm; nothing is written before confirm."""

    INPUTS = ("sheet",)
    BUTTONS = ("confirm", "cancel", "template_button", "export_xlsx", "export_csv")
    OUTPUTS = ("notes", "preview")
    ASK = "_confirm_bar"

    def __init__(self, catalog: Catalog, actions: ImportActions, on_saved: Callable[[], None]):
        self._catalog = catalog
        self._actions = actions
        self._on_saved = on_saved
        self._pending: tuple[pd.DataFrame, pd.DataFrame, str] | None = None  # rows, diff, file
        self._problems: list[str] = []
        self._file: tuple[bytes, str] | None = None  # the upload, read again on a choice
        self._answers: dict[str, str] = {}  # fraction questions answered
        self._said: list[str] = []  # notes shown with the preview
        self._file_notes: list[str] = []  # the file's own notes (conversions, totals …)
        self._notes = w.HTML()
        self._sheet = w.Dropdown(
            description="工作表", layout=w.Layout(width="320px", display="none")
        )
        self._sheet.observe(self._on_sheet_change, names="value")
        self._upload = w.FileUpload(
            accept=".xlsx,.csv",
            multiple=False,
            description="选择文件",
            layout=w.Layout(width="160px"),
        )
        self._progress = w.IntProgress(
            value=0,
            min=0,
            max=100,
            description="进度",
            layout=w.Layout(width="400px", visibility="hidden"),
        )
        self._status = StatusLine()
        self._confirm_bar = ConfirmBar()
        self._preview = w.HTML()
        self._confirm = w.Button(description="确认导入", button_style="primary", disabled=True)
        self._cancel = w.Button(description="取消", disabled=True)
        wide = w.Layout(width="auto")
        self._template_button = w.Button(description="下载空白模板", layout=wide)
        self._export_xlsx = w.Button(description="导出全部数据（Excel）", layout=wide)
        self._export_csv = w.Button(description="导出全部数据（CSV）", layout=wide)
        self._downloads = w.HBox()
        self._upload.observe(self._on_upload_change, names="value")
        self._confirm.on_click(self._on_confirm_click)
        self._cancel.on_click(self._on_cancel_click)
        self._template_button.on_click(self._on_template_click)
        self._export_xlsx.on_click(lambda _: self._export("xlsx"))
        self._export_csv.on_click(lambda _: self._export("csv"))
        help_text = w.HTML(
            element(
                "p",
                "支持 .xlsx 和 .csv（UTF-8、GBK、繁体Big5均可），单个文件不超过"
                f"{MAX_UPLOAD_MB}MB。可用“长表”（单位、时期、指标、数值、备注）或“宽表”"
                "（单位、时期，每个指标一列）。导入前会先预览，确认后才写入；有任何错误则一条也不导入。",
            )
        )
        super().__init__(
            [
                help_text,
                w.HBox([self._upload, self._progress]),
                self._sheet,
                self._status,
                self._confirm_bar,
                self._notes,
                self._preview,
                w.HBox([self._confirm, self._cancel]),
                w.HTML("<hr><b>模板与导出</b>"),
                w.HBox([self._template_button, self._export_xlsx, self._export_csv]),
                self._downloads,
            ]
        )

    @property
    def can_confirm(self) -> bool:
        """True while a previewed file waits for 确认导入."""
        return not self._confirm.disabled

    @property
    def downloads(self) -> tuple[w.Widget, ...]:
        """The template and export links made so far."""
        return tuple(self._downloads.children)

    @property
    def message(self) -> str:
        return self._status.text

    @property
    def problems(self) -> list[str]:
        """The problems found in the last file (empty when it was fine)."""
        return list(self._problems)

    @property
    def pending(self) -> pd.DataFrame | None:
        """The previewed changes waiting for confirmation (None when nothing waits)."""
        return None if self._pending is None else self._pending[1]

    @property
    def pending_counts(self) -> dict[str, int] | None:
        """新增/修改/不变 of the file waiting for confirmation (None when nothing waits)."""
        return None if self._pending is None else counts(self._pending[1])

    @property
    def notes(self) -> list[str]:
        """What the preview tells the user besides the counts (conversions, totals …)."""
        return list(self._said)

    @property
    def question(self) -> str:
        return self._confirm_bar.question

    def load(self, data: bytes, filename: str, sheet: str | None = None) -> None:
        """Check a file and show its preview (the upload control calls this)."""
        if sheet is None:
            self._answers = {}
        self._file = (data, filename)
        self._reset_preview()
        self._step(10)
        try:
            result = self._actions.read_file(
                data, filename, sheet=sheet, fractions=dict(self._answers)
            )
        except ValidationError as exc:
            self._refuse(exc, filename)
            if getattr(exc, "sheets", None):  # no sheet without the user's choice
                self._show_sheets(exc.sheets, exc.hidden_sheets, sheet)
            elif sheet is None:
                self._show_sheets((), (), None)
            return
        self._show_sheets(result.sheets, result.hidden_sheets, result.sheet)
        if result.questions:
            self._step(None)
            self._ask(*next(iter(result.questions.items())))
            return
        self._step(60)
        try:  # the file with what is stored: a part above a stored whole, say
            self._show_preview(result.observations, filename, list(result.notes))
        except ValidationError as exc:
            self._refuse(exc, filename)

    def _refuse(self, exc: ValidationError, filename: str) -> None:
        self._step(None)
        messages = [str(p) for p in exc.problems]
        self._problems = messages
        self._status.error(f"文件“{filename}”有{len(messages)}处问题，未导入任何数据。")
        self._preview.value = messages_html(messages[:100], "请修改后重新上传：")

    @property
    def sheet_choices(self) -> list[tuple[str, str]]:
        """(label, sheet) of the sheet picker; hidden sheets are labelled “（隐藏）”."""
        return list(self._sheet.options) if self._sheet.layout.display != "none" else []

    def choose_sheet(self, sheet: str) -> None:
        """Read another sheet of the file, as picking it in the list does."""
        self._sheet.value = sheet

    def _show_sheets(self, sheets, hidden, chosen: str | None) -> None:
        """A picker when several sheets hold data, or a hidden one does (never read unasked)."""
        shown = len(sheets) > 1 or bool(hidden)
        self._sheet.unobserve(self._on_sheet_change, names="value")
        self._sheet.options = [(sheet_label(name, name in hidden), name) for name in sheets]
        self._sheet.value = chosen if shown and chosen in sheets else None
        self._sheet.layout.display = "flex" if shown else "none"
        self._sheet.observe(self._on_sheet_change, names="value")

    def _on_sheet_change(self, change) -> None:
        if self._file and change["new"]:
            with self._status.guard():
                self.load(*self._file, sheet=change["new"])

    def _ask(self, code: str, question: str) -> None:
        def answer(choice: str) -> None:
            self._answers[code] = choice
            with self._status.guard():
                self.load(*self._file, sheet=self._sheet.value)

        name = self._catalog[code].name
        self._status.info(f"导入前请确认“{name}”的数值含义。")
        self._confirm_bar.ask(
            question,
            [
                ("是比例，按百分比换算（×100）", lambda: answer(PERCENT), "primary"),
                ("就是这个百分数，原样导入", lambda: answer(AS_IS), ""),
            ],
        )

    def _show_preview(self, rows: pd.DataFrame, filename: str, notes: list[str] = ()) -> None:
        changes = self._actions.preview(rows)
        self._step(100)
        self._pending = (rows, changes, filename)
        self._file_notes = list(notes)
        self._said = preview_notes(notes, changes)
        self._status.info(
            f"已读取“{filename}”共{len(rows)}个数值：{counts_text(changes)}。"
            "请核对后点击“确认导入”。"
        )
        self._notes.value = messages_html(self._said, "请注意：") if self._said else ""
        self._preview.value = frame_html(self._preview_view(changes), row_class="_class")
        self._confirm.disabled = False
        self._cancel.disabled = False

    def _on_upload_change(self, change) -> None:
        files = change["new"]
        if not files:
            return
        upload = files[0]
        with self._status.guard():
            self.load(bytes(upload["content"]), upload["name"])

    def _on_confirm_click(self, _button) -> None:
        if self._pending is not None:
            self._save(check=True)

    def _save(self, check: bool) -> None:
        rows, changes, filename = self._pending
        # only if what the preview showed is still what is stored
        expected = expected_values(changes) if check else None
        with self._status.guard():
            try:
                saved = self._actions.save(rows, source=f"导入：{filename}", expected=expected)
            except ConflictError as exc:
                self._status.error(str(exc))
                self._confirm_bar.ask(
                    "请选择：",
                    [
                        (
                            "重新预览（看最新数据）",
                            lambda: self._show_preview(rows, filename, self._file_notes),
                            "",
                        ),
                        ("仍然导入，覆盖他人的修改", lambda: self._save(check=False), "danger"),
                    ],
                )
                return
            self._reset_preview()
            self._status.ok(f"“{filename}”{saved.summary()}")
            self._on_saved()

    def _on_cancel_click(self, _button) -> None:
        self._reset_preview()
        self._status.info("已取消，数据库未改动。")

    def _on_template_click(self, _button) -> None:
        with self._status.guard():
            data = self._actions.template()
            self._downloads.children = [
                download_link(data, "基层减负数据填报模板.xlsx", MIMES["xlsx"], "点击下载模板")
            ]

    def _export(self, kind: str) -> None:
        with self._status.guard():
            data, rows = self._actions.export(kind)
            mime = MIMES[kind]
            name = f"基层减负数据导出.{kind}"
            self._downloads.children = [download_link(data, name, mime, f"点击下载（{rows}条）")]

    def _reset_preview(self) -> None:
        self._pending = None
        self._problems = []
        self._said: list[str] = []
        self._notes.value = ""
        self._preview.value = ""
        self._confirm.disabled = True
        self._cancel.disabled = True
        self._confirm_bar.hide()
        self._step(None)
        self._upload.value = ()

    def _step(self, percent: int | None) -> None:
        self._progress.layout.visibility = "hidden" if percent is None else "visible"
        self._progress.value = percent or 0

    def _preview_view(self, changes: pd.DataFrame) -> pd.DataFrame:
        """Changed and new rows first: those are what the user must check."""
        order = {"修改": 0, "新增": 1, "不变": 2}
        view = changes.sort_values("status", key=lambda s: s.map(order), kind="stable")
        return pd.DataFrame(
            {
                "状态": view["status"],
                "单位": view["unit"],
                "时期": view["period"],
                "指标": view["indicator"].map(lambda code: self._catalog[code].name),
                "原值": view["old_value"].map(plain),
                "新值": view["new_value"].map(plain),
                "备注": view["note"],
                "_class": view["status"].map(ROW_CLASSES).fillna(""),
            }
        )
