"""Charts split into pages: one generic step for every kind of chart.

A chart with more bars or panels than one page of its size holds is split, so no
chart is drawn 5,000 px tall and none can hit altair's MaxRowsError. Each kind
says what one page draws from its share of the items; :func:`paginate` cuts the
items, numbers the title (“（2/3）”) and puts title, subtitle and footnotes on
every page. Pages are built only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import altair as alt

from .sizes import ChartSize
from .style import finish


@dataclass(frozen=True)
class Pages:
    """A chart split into pages; each page is built only when asked for."""

    count: int
    build: Callable[[int], alt.TopLevelMixin]

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: int) -> alt.TopLevelMixin:
        if not 0 <= index < self.count:
            raise IndexError(index)
        return self.build(index)

    def __iter__(self) -> Iterator[alt.TopLevelMixin]:
        return (self.build(i) for i in range(self.count))


def paginate(
    items: list,
    per_page: int,
    draw: Callable[[list], alt.TopLevelMixin],
    title: str,
    subtitle: Sequence[str],
    notes: list[str],
    size: ChartSize,
) -> Pages:
    """``items`` in pages of ``per_page``; page i is ``draw(its items)`` with the title
    (numbered when there are several pages), ``subtitle`` and ``notes`` as footnote.
    No items make one empty page, so every chart has a first page."""
    chunks = _chunks(items, per_page)

    def build(i: int) -> alt.VConcatChart:
        return finish(
            draw(chunks[i]), _numbered(title, i, len(chunks)), list(subtitle), notes, size
        )

    return Pages(len(chunks), build)


def _chunks(items: list, size: int) -> list[list]:
    """``items`` in pieces of at most ``size``; one empty piece when there are none."""
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _numbered(title: str, index: int, count: int) -> str:
    return f"{title}（{index + 1}/{count}）" if count > 1 else title
