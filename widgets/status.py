"""One line of feedback under a form: success, information or a friendly error."""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as w

from jianfu.errors import JianfuError

from .common import UNEXPECTED_ERROR, clear_message, server_log, show_message


class StatusLine(w.HTML):
    """Shows one message; user text is escaped, tracebacks never reach the page.

    ``text`` and ``kind`` ("success", "info", "error" or "") say what is shown,
    for the app's callers and tests, without reading the HTML.
    """

    text: str = ""
    kind: str = ""

    def ok(self, message: str) -> None:
        self._show(message, "success")

    def info(self, message: str) -> None:
        self._show(message, "info")

    def error(self, message: str) -> None:
        self._show(message, "error")

    def clear(self) -> None:
        self.text, self.kind = "", ""
        clear_message(self)

    def _show(self, message: str, kind: str) -> None:
        self.text, self.kind = message, kind
        show_message(self, message, kind)

    @contextmanager
    def guard(self):
        """Run a handler body: a JianfuError shows its Chinese text, anything else a generic line."""
        try:
            yield
        except JianfuError as exc:
            self.error(f"操作未完成：{exc}")
        except Exception:
            server_log().exception("unexpected error in a widget handler")
            self.error(UNEXPECTED_ERROR)
