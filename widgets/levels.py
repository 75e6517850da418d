"""预警依据: which threshold levels a page counts, one box each (the 对比 and 发言稿 pages)."""

from __future__ import annotations

import ipywidgets as w

from jianfu.catalog import LEVELS


class LevelBoxes(w.HBox):
    """A ticked box per level (中央、省、地方、示例); an unticked level warns nowhere."""

    def __init__(self):
        super().__init__(
            [
                w.Checkbox(
                    value=True, description=level, indent=False, layout=w.Layout(width="70px")
                )
                for level in LEVELS
            ]
        )

    @property
    def ticked(self) -> list[str]:
        return [box.description for box in self.children if box.value]

    @property
    def unticked(self) -> frozenset[str]:
        return frozenset(box.description for box in self.children if not box.value)

    def tick(self, level: str, on: bool) -> None:
        (box,) = [box for box in self.children if box.description == level]
        box.value = on
