"""Import a spreadsheet with a preview before anything is saved; template and export downloads."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from jianfu.errors import ValidationError
from jianfu.store import Store

from .common import download_link
from .status import StatusLine
from .tables import frame_html, messages_html

MAX_UPLOAD_MB = 20
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportPanel(w.VBox):
    """Upload → check → preview (新增/修改/不变) → confirm; nothing is written before confirm."""

    def __init__(self, store: Store, on_saved: Callable[[], None]):
        self._store = store
        self._on_saved = on_saved
        self._pending: tuple[pd.DataFrame, str] | None = None
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
            "<p>支持 .xlsx 和 .csv（UTF-8、带BOM的UTF-8、GBK均可），单个文件不超过"
            f"{MAX_UPLOAD_MB}MB。可用“长表”（单位、时期、指标、数值、备注）或“宽表”"
            "（单位、时期，每个指标一列）。导入前会先预览，确认后才写入；有任何错误则一条也不导入。</p>"
        )
        super().__init__(
            [
                help_text,
                w.HBox([self._upload, self._progress]),
                self._status,
                self._preview,
                w.HBox([self._confirm, self._cancel]),
                w.HTML("<hr><b>模板与导出</b>"),
                w.HBox([self._template_button, self._export_xlsx, self._export_csv]),
                self._downloads,
            ]
        )

    def load(self, data: bytes, filename: str) -> None:
        """Check a file and show its preview (the upload control calls this)."""
        from jianfu.dataio.importer import import_file, preview, preview_counts

        self._reset_preview()
        self._step(10)
        catalog = self._store.catalog()
        try:
            result = import_file(data, filename, catalog, max_bytes=MAX_UPLOAD_MB << 20)
        except ValidationError as exc:
            self._step(None)
            messages = [str(p) for p in exc.problems]
            self._status.error(f"文件“{filename}”有{len(messages)}处问题，未导入任何数据。")
            self._preview.value = messages_html(messages[:100], "请修改后重新上传：")
            return
        self._step(60)
        diff = preview(self._store.observations(), result.observations)
        counts = preview_counts(diff)
        self._step(100)
        self._pending = (result.observations, filename)
        summary = "，".join(f"{k}{v}项" for k, v in counts.items())
        self._status.info(
            f"已读取“{filename}”{result.rows_read}行：{summary}。请核对后点击“确认导入”。"
        )
        self._preview.value = frame_html(_preview_view(diff, catalog), row_class="_class")
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
        if self._pending is None:
            return
        frame, filename = self._pending
        with self._status.guard():
            saved = self._store.save_observations(frame, source=f"导入：{filename}")
            self._reset_preview()
            self._status.ok(f"“{filename}”{saved.summary()}")
            self._on_saved()

    def _on_cancel_click(self, _button) -> None:
        self._reset_preview()
        self._status.info("已取消，数据库未改动。")

    def _on_template_click(self, _button) -> None:
        from jianfu.dataio.template import template_xlsx

        with self._status.guard():
            data = template_xlsx(
                self._store.catalog(), self._store.unit_names(), self._store.periods()
            )
            self._downloads.children = [
                download_link(data, "基层减负数据填报模板.xlsx", XLSX_MIME, "点击下载模板")
            ]

    def _export(self, kind: str) -> None:
        from jianfu.dataio.exporter import export_csv, export_xlsx

        with self._status.guard():
            obs = self._store.observations()
            if kind == "xlsx":
                data, mime = export_xlsx(obs, self._store.catalog()), XLSX_MIME
            else:
                data, mime = export_csv(obs, self._store.catalog()), "text/csv"
            name = f"基层减负数据导出.{kind}"
            self._downloads.children = [
                download_link(data, name, mime, f"点击下载（{len(obs)}条）")
            ]

    def _reset_preview(self) -> None:
        self._pending = None
        self._preview.value = ""
        self._confirm.disabled = True
        self._cancel.disabled = True
        self._step(None)
        self._upload.value = ()

    def _step(self, percent: int | None) -> None:
        self._progress.layout.visibility = "hidden" if percent is None else "visible"
        self._progress.value = percent or 0


def _preview_view(diff: pd.DataFrame, catalog) -> pd.DataFrame:
    """Changed and new rows first: those are what the user must check."""
    order = {"修改": 0, "新增": 1, "不变": 2}
    view = diff.sort_values("status", key=lambda s: s.map(order), kind="stable")
    return pd.DataFrame(
        {
            "状态": view["status"],
            "单位": view["unit"],
            "时期": view["period"],
            "指标": view["indicator"].map(lambda code: catalog[code].name),
            "原值": view["old_value"],
            "新值": view["new_value"],
            "_class": view["status"].map({"新增": "jf-new", "修改": "jf-changed"}).fillna(""),
        }
    )
