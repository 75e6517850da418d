"""One line of feedback under a form: success, information or a friendly error."""

from __future__ import annotations

from contextlib import contextmanager

import ipywidgets as w

from jianfu.errors import JianfuError

from .common import UNEXPECTED_ERROR, clear_message, server_log, show_message


class StatusLine(w.HTML):
    """Shows one message; user text is escaped, tracebacks never reach the page."""

    def ok(self, message: str) -> None:
        show_message(self, message, "success")

    def info(self, message: str) -> None:
        show_message(self, message, "info")

    def error(self, message: str) -> None:
        show_message(self, message, "error")

    def clear(self) -> None:
        clear_message(self)

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
