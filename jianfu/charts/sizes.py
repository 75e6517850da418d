"""Chart sizes: the page, the projector, a 16:9 slide and a Word page.

A size fixes the fonts, the room a chart takes and how many bars or panels fit
on one picture; a chart with more is split into pages, never drawn 5,000 px
tall. Slide and document sizes also fix the exact canvas of an exported image
(the chart is centred on it), so a picture drops into a 16:9 slide or the text
width of an A4 page without cropping. No altair here: the page imports this
module before it has drawn anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import JianfuError


@dataclass(frozen=True)
class ChartSize:
    """How big a chart is drawn and how much goes on one page of it."""

    name: str
    label: str  # shown to users
    width: int  # plot width of a single chart, logical px
    font: int  # axis, legend and value labels, logical px
    title: int  # title font, logical px
    step: int  # px per bar row
    rows: int  # bars (or units) per page
    panels: int  # small-multiple panels per page
    columns: int  # small-multiple panels per row
    panel_width: int  # width of one panel
    line_panels: int  # trend panels per page (two to a row)
    canvas: tuple[int, int] | None  # exact export canvas, logical px (None: as drawn)
    scale: float  # PNG pixels per logical px

    @property
    def pixels(self) -> tuple[int, int] | None:
        """Exported PNG size in pixels, when the canvas is fixed."""
        if self.canvas is None:
            return None
        return round(self.canvas[0] * self.scale), round(self.canvas[1] * self.scale)


# The page: fits a laptop screen; PNG at 2× is sharp on a slide.
SCREEN = ChartSize(
    "screen", "屏幕", width=720, font=15, title=22, step=30, rows=40,
    panels=12, columns=3, panel_width=200, line_panels=6, canvas=None, scale=2,
)  # fmt: skip
# The presentation view: labels ≥ 20 px when the chart fills a 1920×1080 screen.
PRESENT = ChartSize(
    "present", "演示", width=1180, font=22, title=30, step=44, rows=10,
    panels=6, columns=3, panel_width=360, line_panels=2, canvas=None, scale=1,
)  # fmt: skip
# A 16:9 slide: 960×540 at 2× is a 1920×1080 picture.
SLIDE = ChartSize(
    "slide", "幻灯片（16:9）", width=560, font=16, title=22, step=30, rows=9,
    panels=6, columns=3, panel_width=150, line_panels=2, canvas=(960, 540), scale=2,
)  # fmt: skip
# A Word page: 800×600 at 2× is 1600×1200, about 260 dpi across a 15.6 cm text width.
DOC = ChartSize(
    "doc", "文档（Word）", width=500, font=16, title=20, step=28, rows=14,
    panels=6, columns=2, panel_width=220, line_panels=4, canvas=(800, 600), scale=2,
)  # fmt: skip
SIZES = {size.name: size for size in (SCREEN, PRESENT, SLIDE, DOC)}
EXPORT_SIZES = ("slide", "doc", "screen")  # offered for downloads, in this order


def chart_size(name: str | ChartSize) -> ChartSize:
    """A size by name (screen, present, slide, doc); a ChartSize is returned as is."""
    if isinstance(name, ChartSize):
        return name
    try:
        return SIZES[name]
    except KeyError:
        raise JianfuError(f"没有“{name}”这种图片尺寸，可选：{'、'.join(SIZES)}") from None
