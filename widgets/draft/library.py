"""我的稿件: the saved drafts, to open, copy or delete."""

from __future__ import annotations

import ipywidgets as w

from jianfu.errors import JianfuError

from .shared import (
    DRAFTS_TAB,
)


class LibraryPanel:
    """The 我的稿件 tab of DraftApp (a mixin)."""

    def _build_library(self) -> w.VBox:
        self._draft_list = w.Dropdown(description="稿件", layout=w.Layout(width="760px"))
        self._open = w.Button(description="打开")
        self._duplicate = w.Button(description="复制一份")
        self._delete = w.Button(description="删除", button_style="danger")
        self._confirm = w.Button(description="确认删除", button_style="danger")
        self._confirm.layout.display = "none"
        self._open.on_click(self._on_open_click)
        self._duplicate.on_click(self._on_duplicate_click)
        self._delete.on_click(self._on_delete_click)
        self._confirm.on_click(self._on_confirm_click)
        self._show_library()
        return w.VBox(
            [self._draft_list, w.HBox([self._open, self._duplicate, self._delete, self._confirm])]
        )

    def _show_library(self) -> None:
        summaries = self._drafts.list()
        current = self._draft.id if self._draft else None
        self._draft_list.options = [(s.label(), s.id) for s in summaries]
        ids = [s.id for s in summaries]
        if ids:
            self._draft_list.value = current if current in ids else ids[0]
        self._confirm.layout.display = "none"

    def _on_open_click(self, _button) -> None:
        with self._status.guard():
            if not self._draft_list.value:
                raise JianfuError("还没有保存的稿子")
            self.open_draft(self._drafts.load(self._draft_list.value))

    def _on_duplicate_click(self, _button) -> None:
        with self._status.guard():
            if not self._draft_list.value:
                raise JianfuError("还没有保存的稿子")
            self._saver.flush()
            self.open_draft(self._drafts.duplicate(self._draft_list.value))
            self._status.ok("已复制一份，正在编辑副本。")

    def _on_delete_click(self, _button) -> None:
        if self._draft_list.value:
            self._confirm.layout.display = None

    def _on_confirm_click(self, _button) -> None:
        with self._status.guard():
            doomed = self._draft_list.value
            if not doomed:
                return
            if self._draft is not None and self._draft.id == doomed:
                self._saver.cancel()
                self._draft = None
                self._layout_editor()
            self._drafts.delete(doomed)
            self._show_library()
            self._tabs.selected_index = DRAFTS_TAB
            self._status.ok("已删除。")
