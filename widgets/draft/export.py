"""导出: the draft as Word, PDF or text."""

from __future__ import annotations

import ipywidgets as w

from jianfu.errors import JianfuError
from jianfu.speech.documents import FORMATS, export_draft
from jianfu.speech.fonts import FONT_SCHEMES, font_note
from jianfu.speech.script import SCRIPTS

from ..common import download_link
from ..templating import element


class ExportPanel:
    """The 导出 tab of DraftApp (a mixin)."""

    def _build_export(self) -> w.VBox:
        self._script = w.Dropdown(
            options=[("简体", "")] + [(label, key) for key, label in SCRIPTS.items()],
            description="字形",
        )
        self._fonts = w.Dropdown(
            options=[(s.label, key) for key, s in FONT_SCHEMES.items()], description="字体"
        )
        self._font_note = w.HTML()
        self._script.observe(self._on_script_change, names="value")
        self._fonts.observe(self._on_fonts_change, names="value")
        buttons = []
        for suffix, (label, _mime) in FORMATS.items():
            button = w.Button(description=f"生成{label}（{suffix}）", layout=w.Layout(width="auto"))
            button.on_click(self._export_handler(suffix))
            buttons.append(button)
        self._downloads = w.VBox()
        self._on_fonts_change(None)
        return w.VBox(
            [
                w.HBox([self._script, self._fonts]),
                self._font_note,
                w.HBox(buttons),
                self._downloads,
            ]
        )

    def _on_script_change(self, change) -> None:
        self.edit(lambda d: setattr(d, "script", change["new"]))
        self.refresh()

    def _on_fonts_change(self, change) -> None:
        self._font_note.value = element("small", font_note(self._fonts.value))
        if change is not None:
            self.edit(lambda d: setattr(d, "font_scheme", change["new"]))

    def _export_handler(self, suffix: str):
        def handler(_button) -> None:
            self.export(suffix)

        return handler

    def export(self, suffix: str):
        """Build the file and show a download link; returns the ExportFile."""
        with self._status.guard():
            if self._draft is None:
                raise JianfuError("请先生成或打开一份稿子")
            self.save_now()
            exported = export_draft(self._draft, suffix)
            link = download_link(
                exported.data, exported.filename, exported.mime, f"下载 {exported.filename}"
            )
            self._downloads.children = [link]
            self._status.ok(f"已生成 {exported.filename}，点击下载。")
            return exported
        return None
