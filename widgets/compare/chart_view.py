"""One chart at a time, drawn when it is shown, with downloads sized for slides or Word.

Drawing a chart (altair, then vl-convert to SVG) is the slow part of the 对比
page: about a second the first time in a kernel. So only the chart on screen is
drawn, “正在生成图表…” shows meanwhile, and inside a kernel the drawing runs in
a thread, so the page stays responsive and can open before its chart is ready.
A drawing that finishes after the selection changed is thrown away: a chart of
another unit never reaches the screen. A drawing that finishes while the browser
is still setting up the page's widgets never reaches it either (the browser drops
updates for widgets it has not made yet), so the page asks once its chart area is
made, and again while the notice stays, through a hidden button (``resend``;
jianfu.js clicks it).
"""

from __future__ import annotations

import sys
import threading

import ipywidgets as w

from jianfu.charts.figures import Figure
from jianfu.charts.sizes import EXPORT_SIZES, SCREEN, SIZES, ChartSize
from jianfu.errors import JianfuError
from jianfu.server.kernel import in_kernel

from ..common import MIMES, download_link, server_log
from ..handles import Handles
from ..status import StatusLine
from ..templating import element

DRAWING = (
    '<div class="jf-chart-wait" role="status">'
    '<div class="jianfu-spinner" aria-hidden="true"></div>正在生成图表…</div>'
)


def warm_charts() -> None:
    """Load altair and vl-convert and draw a tiny chart, so the first real chart is quick.

    A preheated kernel calls this while it waits in the pool for a visitor: the
    ~2 s of imports and start-up are then paid before anyone opens the page.
    """
    from jianfu.charts.images import to_svg
    from jianfu.startup import skip_iri_grammar

    skip_iri_grammar()  # before altair is imported, by the chart modules loaded here
    from jianfu.charts import bars, lines  # noqa: F401
    from jianfu.charts.style import FONT

    to_svg(
        {
            "data": {"values": [{"k": "减负", "v": 1}]},
            "mark": "bar",
            "encoding": {
                "y": {"field": "k", "type": "nominal"},
                "x": {"field": "v", "type": "quantitative"},
            },
            "config": {"font": FONT},
        }
    )


class ChartView(Handles, w.VBox):
    """The charts of a selection: a chooser, one chart, pages, downloads.

    ``background`` draws in a thread (inside a kernel); otherwise drawing is
    synchronous, which is what tests and the command line want.
    """

    INPUTS = ("choice",)
    BUTTONS = ("prev", "next", "png", "svg", "resend")
    PARTS = ("pager",)

    def __init__(self, background: bool | None = None, size: ChartSize = SCREEN):
        self._background = in_kernel() if background is None else background
        self._size = size
        self._figures: list[Figure] = []
        self._pages: dict[tuple[str, str], object] = {}  # (kind, size) -> pages.Pages
        self._drawn: dict[tuple[str, str, int], str] = {}  # (kind, size, page) -> SVG markup
        self._running: set[tuple[int, tuple[str, str, int]]] = set()  # (generation, key)
        self._wanted: tuple[str, str, int] | None = None
        self._shown_key: tuple[str, str, int] | None = None
        self._generation = 0  # bumped on every new selection: late drawings are dropped
        self._lock = threading.Lock()  # one drawing at a time
        # what is drawn, wanted and running changes in the page's thread and the drawing's;
        # unguarded, a drawing that ended between draw()'s look and its 正在生成图表… left
        # the notice on screen for good
        self._state = threading.RLock()
        self._page = 0
        self._visible = False
        self._choice = w.ToggleButtons(options=[], style={"button_width": "auto"})
        self._choice.observe(self._on_choice_change, names="value")
        self._prev = w.Button(description="上一页", layout=w.Layout(width="auto"))
        self._next = w.Button(description="下一页", layout=w.Layout(width="auto"))
        self._prev.on_click(lambda _: self.turn(-1))
        self._next.on_click(lambda _: self.turn(1))
        self._page_label = w.HTML()
        # clicked by jianfu.js once the chart area is made in the browser, and while
        # 正在生成图表… stays on screen: never seen by a person
        self._resend = w.Button(description="重新发送图表", layout=w.Layout(display="none"))
        self._resend.add_class("jf-chart-resend")
        self._resend.on_click(lambda _: self.resend())
        self._pager = w.HBox([self._prev, self._page_label, self._next, self._resend])
        self._pager.add_class("jf-pager")
        self._picture = w.HTML(layout=w.Layout(width="100%"))
        self._picture.add_class("jf-chart")
        self._export_size = w.Dropdown(
            options=[(SIZES[name].label, name) for name in EXPORT_SIZES],
            value=EXPORT_SIZES[0],
            description="图片尺寸",
        )
        self._png = w.Button(description="下载PNG")
        self._svg = w.Button(description="下载SVG")
        self._png.on_click(lambda _: self._download("png"))
        self._svg.on_click(lambda _: self._download("svg"))
        self._links = w.HBox()
        self._links.add_class("jf-wrap")
        self._status = StatusLine()
        self._exports = w.VBox(
            [w.HBox([self._export_size, self._png, self._svg]), self._links, self._status]
        )
        self._exports.children[0].add_class("jf-wrap")
        self._top = w.HBox([self._choice, self._pager])
        self._top.add_class("jf-wrap")
        super().__init__([self._top, self._picture, self._exports])
        self.add_class("jf-chart-view")
        self._show_pager()

    # ---- public -------------------------------------------------------------
    @property
    def downloads(self) -> tuple[w.Widget, ...]:
        """The chart download links made so far."""
        return tuple(self._links.children)

    @property
    def figures(self) -> list[Figure]:
        """The charts of the current selection, in the chooser's order."""
        return list(self._figures)

    @property
    def names(self) -> list[str]:
        """Names of the charts of the current selection, in the chooser's order."""
        return [f.name for f in self._figures]

    @property
    def figure(self) -> Figure | None:
        """The chart chosen in the chooser."""
        return (
            self._figures[self._choice.index]
            if self._figures and self._choice.index is not None
            else None
        )

    @property
    def page(self) -> int:
        return self._page

    @property
    def page_count(self) -> int:
        figure = self.figure
        return len(self._pages_of(figure)) if figure is not None else 0

    @property
    def drawn(self) -> str | None:
        """Name of the chart on screen (None while drawing or when there is none)."""
        key = self._key()
        return (
            self.figure.name
            if key is not None and key in self._drawn and self._shown_key == key
            else None
        )

    @property
    def picture(self) -> str:
        """The chart's markup on screen (SVG, the drawing notice, or "")."""
        return self._picture.value

    @property
    def message(self) -> str:
        return self._status.text

    def show(self, figures: list[Figure]) -> None:
        """A new selection's charts; nothing of the previous one stays."""
        with self._state:
            self._generation += 1
            self._figures = list(figures)
            self._pages.clear()
            self._drawn.clear()
            self._wanted = None
            self._shown_key = None
        self._page = 0
        self._links.children = []
        self._status.clear()
        self._picture.value = ""
        self._choice.unobserve(self._on_choice_change, names="value")
        self._choice.options = [f.name for f in self._figures]
        self._choice.value = self._figures[0].name if self._figures else None
        self._choice.observe(self._on_choice_change, names="value")
        self._top.layout.display = "flex" if self._figures else "none"
        self._exports.children[0].layout.display = "flex" if self._figures else "none"
        self._show_pager()
        if self._visible:
            self.draw()

    def clear(self) -> None:
        self.show([])

    def set_size(self, size: ChartSize) -> None:
        """Draw on screen at ``size`` (the page or the projector)."""
        if size == self._size:
            return
        self._size = size
        self._page = 0
        self._show_pager()
        if self._visible:
            self.draw()

    def set_compact(self, compact: bool) -> None:
        """Hide the download row (the presentation view shows the chart only)."""
        self._exports.layout.display = "none" if compact else "flex"

    def set_visible(self, visible: bool) -> None:
        """Charts are drawn only while they can be seen."""
        self._visible = visible
        if visible:
            self._show_pager()
            self.draw()

    def turn(self, step: int) -> None:
        """Page on by ``step`` (back when negative), as 下一页/上一页 do; stops at either end."""
        count = self.page_count
        if not count:
            return
        self._page = min(max(self._page + step, 0), count - 1)
        self._show_pager()
        self.draw()

    def draw(self) -> None:
        """Draw the chosen chart's current page (in a thread inside a kernel)."""
        key = self._key()
        if key is None:
            self._picture.value = ""
            return
        with self._state:
            self._wanted = key
            if key in self._drawn:
                self._put(key)
                return
            self._picture.value = DRAWING
            self._shown_key = None
            if (self._generation, key) in self._running:
                return  # the running drawing puts it on screen when done
            self._running.add((self._generation, key))
        if self._background:
            threading.Thread(target=self._draw, args=(key, self._generation), daemon=True).start()
        else:
            self._draw(key, self._generation)

    def resend(self) -> None:
        """Send what the chart area shows again, unchanged.

        A drawing put on screen from the drawing thread while the browser was still
        making the page's widgets was dropped by the browser: it keeps showing the
        notice although the chart is drawn. Nothing changes here, so traitlets would
        send nothing; the states are sent as they are.
        """
        with self._state:
            for widget in (self._picture, self._page_label, self._prev, self._next):
                widget.send_state()
            self._pager.layout.send_state()
            self._status.send_state()

    def prefetch(self) -> None:
        """Draw the first chart ahead, in a thread, without showing it (a warm start)."""
        key = self._key()
        with self._state:
            if key is None or key in self._drawn or (self._generation, key) in self._running:
                return
            self._running.add((self._generation, key))
        threading.Thread(target=self._draw, args=(key, self._generation), daemon=True).start()

    # ---- drawing ------------------------------------------------------------
    def _key(self) -> tuple[str, str, int] | None:
        figure = self.figure
        return None if figure is None else (figure.kind, self._size.name, self._page)

    def _pages_of(self, figure: Figure):
        key = (figure.kind, self._size.name)
        if key not in self._pages:
            self._pages[key] = figure.pages(self._size)
        return self._pages[key]

    def _draw(self, key: tuple[str, str, int], generation: int) -> None:
        kind, size, page = key
        try:
            with self._lock:
                if generation != self._generation:
                    return
                figure = next(f for f in self._figures if f.kind == kind)
                from jianfu.charts.images import chart_svg_html

                markup = chart_svg_html(self._pages_of(figure)[page])
            with self._state:  # stored and shown in one step, as draw() looks and waits in one
                if generation != self._generation:
                    return
                self._drawn[key] = markup
                if self._wanted == key:
                    self._put(key)
        except JianfuError as exc:
            if generation == self._generation:
                self._picture.value = ""
                self._status.error(f"图表未能生成：{exc}")
        except Exception:
            server_log().exception("chart drawing failed")
            if generation == self._generation:
                self._picture.value = ""
                self._status.error("图表未能生成：系统出了意外问题，请重试。")
        finally:
            with self._state:
                self._running.discard((generation, key))

    def _put(self, key: tuple[str, str, int]) -> None:
        """Show a drawn page, and the pager with it: the pages can be counted only once
        altair is loaded, which a drawing finished ahead (prefetch) may just have done."""
        self._picture.value = self._drawn[key]
        self._shown_key = key
        self._show_pager()

    # ---- handlers -------------------------------------------------------------
    def _on_choice_change(self, _change) -> None:
        self._page = 0
        self._links.children = []
        self._status.clear()
        self._show_pager()
        if self._visible:
            self.draw()

    def _show_pager(self) -> None:
        figure = self.figure
        counted = figure is not None and self._visible and self._drawable()
        count = len(self._pages_of(figure)) if counted else 1
        self._pager.layout.display = "flex" if count > 1 else "none"
        self._page_label.value = element("span", f"第{self._page + 1}/{count}页", "jf-page")
        self._prev.disabled = self._page <= 0
        self._next.disabled = self._page >= count - 1

    def _drawable(self) -> bool:
        """Pages are counted without drawing only once altair is loaded (or when not in a kernel)."""
        return "altair" in sys.modules or not self._background

    def _download(self, kind: str) -> None:
        """Every page of the chosen chart at the chosen size, named after the chart."""
        from jianfu.charts.images import chart_bytes

        figure = self.figure
        if figure is None:
            return
        size = SIZES[self._export_size.value]
        with self._status.guard():
            pages = figure.pages(size)
            links = []
            for i, chart in enumerate(pages):
                data = chart_bytes(chart, kind, size)
                name = figure.filename(kind, i, len(pages))
                label = f"保存{kind.upper()}" + (f"（第{i + 1}页）" if len(pages) > 1 else "")
                links.append(download_link(data, name, MIMES[kind], label))
            self._links.children = links
            note = f"，共{len(pages)}页" if len(pages) > 1 else ""
            self._status.ok(f"已生成“{figure.stem}”{size.label}图片{note}，点击保存。")
