"""Small UI helpers shared by the apps: kind error messages, downloads, page titles."""

from __future__ import annotations

import base64
import io
import logging
import os
import sys
from collections.abc import Callable
from typing import Protocol, TypeVar

import ipywidgets as widgets

from jianfu.errors import JianfuError

from .apps import available_apps
from .templating import render, trusted

MessageTarget = widgets.HTML | widgets.Output

UNEXPECTED_ERROR = "操作未完成：系统出了意外问题，请重试；如仍不行，请联系管理员查看服务器日志。"
# A download travels to the browser inside a widget message, base64-encoded.
MAX_DOWNLOAD_BYTES = 10 * 1024 * 1024

KINDS = ("error", "info", "success")  # styled in the template's jianfu.css
PREHEATED = "{page} page preheated, waiting for a visitor"


def server_log() -> logging.Logger:
    """A logger writing to the server's terminal, never to the page.

    In a kernel, sys.stderr goes to the browser; its fileno() is a copy of the
    process's real stderr, which Voila's terminal shows.
    """
    logger = logging.getLogger("jianfu.widgets")
    if not logger.handlers:
        try:
            stream = open(os.dup(sys.stderr.fileno()), "w", encoding="utf-8", buffering=1)
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            stream = sys.__stderr__
        handler = logging.StreamHandler(stream)
        handler.setFormatter(logging.Formatter("[jianfu %(asctime)s %(levelname)s] %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    return logger


def preheated() -> bool:
    """True in a kernel Voila started ahead of its visitor (a pool)."""
    return os.environ.get("VOILA_PREHEAT") == "True"


def wait_for_visitor(page: str = "") -> bool:
    """In a preheated Voila kernel, wait here until someone opens the page.

    Voila's pool runs notebooks ahead of time. Whatever follows this call runs when
    the visitor arrives, and the kernel's idle clock restarts, so the culler cannot
    stop a kernel that sat in the pool before its page connects. An app built before
    the call must re-read its data after it (True: it waited). The server's terminal
    says which page is ready. Does nothing outside a pool.
    """
    if not preheated():
        return False
    # Not voila.utils: it would add ~51 MB to every pooled kernel (jianfu.server.visitor).
    from jianfu.server.visitor import wait_for_request

    if page:
        log = server_log()
        log.setLevel(logging.INFO)
        log.info(PREHEATED.format(page=page))  # operators (and tests) see the pool is ready
    wait_for_request()
    return True


class Page(Protocol):
    def refresh_if_stale(self) -> Page:
        """This page showing the data as it is now: itself, read again, or a new one."""


P = TypeVar("P", bound=Page)


def open_page(build: Callable[[], P], page: str) -> P:
    """The one way a page opens: built at once; in a preheated kernel, brought up to date
    when the visitor arrives (the widgets are most of the opening time, built ahead;
    the data may have changed while the page waited in the pool)."""
    app = build()
    if wait_for_visitor(page):
        app = app.refresh_if_stale()
    return app


def message_html(message: str, kind: str = "info") -> str:
    """A boxed message; the text is escaped and keeps its line breaks."""
    kind = kind if kind in KINDS else "info"
    role = "alert" if kind == "error" else "status"
    return render("message.html", kind=kind, role=role, lines=message.split("\n"))


def show_message(target: MessageTarget, message: str, kind: str = "info") -> None:
    """Show `message` in an HTML or Output widget, replacing what was there."""
    markup = message_html(message, kind)
    if isinstance(target, widgets.Output):
        target.outputs = (
            {"output_type": "display_data", "data": {"text/html": markup}, "metadata": {}},
        )
    else:
        target.value = markup


def clear_message(target: MessageTarget) -> None:
    if isinstance(target, widgets.Output):
        target.outputs = ()
    else:
        target.value = ""


# what a download link says its file is, by extension
MIMES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
    "png": "image/png",
    "svg": "image/svg+xml",
}


def download_link(
    data: bytes, filename: str, mime: str = "application/octet-stream", label: str = "下载"
) -> widgets.HTML:
    """A link that saves `data` as `filename`; a data: URI, so it works in Voila.

    Raises JianfuError when the file is too big to hand over this way.
    """
    if len(data) > MAX_DOWNLOAD_BYTES:
        raise JianfuError(
            f"文件太大（{len(data) / 1024 / 1024:.1f} MB），无法在页面上下载；"
            f"请缩小范围，或用命令行导出。"
        )
    payload = base64.b64encode(data).decode("ascii")
    return widgets.HTML(
        render("download.html", filename=filename, mime=mime, payload=payload, label=label)
    )


def replace_children(box: widgets.Box, children: list[widgets.Widget]) -> None:
    """Show ``children`` in ``box`` and close the widgets they replace.

    A replaced widget stays a live model until closed: the browser loads every live
    model when the page opens, and the kernel keeps them all. Only for children the
    box built for itself (their layout and style are closed with them).
    """
    old = [c for c in box.children if all(c is not n for n in children)]
    box.children = children
    for widget in old:
        close_widget(widget)


def close_widget(widget: widgets.Widget) -> None:
    """Close a widget, its children, and its own layout and style models."""
    for child in getattr(widget, "children", ()):
        close_widget(child)
    for part in ("layout", "style"):
        model = getattr(widget, part, None)
        if isinstance(model, widgets.Widget):
            model.close()
    widget.close()


def title_bar(title: str, subtitle: str | None = None, nav: bool = True) -> widgets.HTML:
    """A page heading big enough to read from the back of a room, under links to the apps.

    The links (首页 and every app that exists) are relative, so they work behind a
    proxy that adds a path prefix; the page's own link is marked as current.
    """
    links = trusted(nav_html(title)) if nav else ""
    return widgets.HTML(
        render("title_bar.html", nav=links, title=title, subtitle=subtitle or ""),
        layout=widgets.Layout(width="auto"),
    )


def nav_html(current: str = "") -> str:
    """Links to 首页 and to each available app; ``current`` (a title) is marked as the page."""
    items = [("index.ipynb", "首页")] + [(a.notebook, a.title) for a in available_apps()]
    return render("nav.html", items=items, current=current)
