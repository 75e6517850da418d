"""把所选单位汇总为一个整体: the switch, the group's name, a parent's subordinates in one
click, and the question whether a parent's figures already include its subordinates.

The name follows the selection (示例县（下级合计）, 甲镇、乙镇汇总) until the user types
one, so a name from an earlier choice never labels another group. A leaf widget: it
is given the units and the actions to call, never the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w
import pandas as pd

from jianfu.compare.groups import Overlap, default_group_name
from jianfu.store import OWN_LEVEL, WITH_SUBORDINATES

from ..templating import element


class GroupControls(w.VBox):
    """The grouping row and, when needed, the 本级/含下级 question under it.

    ``on_change()`` runs when the user switches grouping or types a name;
    ``on_rollup(parent)`` when they ask for a parent's subordinates;
    ``on_scope(unit, scope)`` when they answer the question.
    """

    def __init__(
        self,
        hierarchy: pd.DataFrame,
        on_change: Callable[[], None],
        on_rollup: Callable[[str], None],
        on_scope: Callable[[str, str], None],
    ):
        self._hierarchy = hierarchy
        self._on_change = on_change
        self._auto = ""  # the name last given by the selection; typed names differ from it
        self._asked: Overlap | None = None
        self._quiet = False  # set while the name is changed by the selection, not typed
        self.switch = w.Checkbox(value=False, description="把所选单位汇总为一个整体", indent=False)
        self.name = w.Text(description="汇总名称", layout=w.Layout(width="300px"))
        parents = sorted(set(hierarchy["parent"].dropna()) - {""})
        self.parent = w.Dropdown(
            options=parents, description="上级单位", layout=w.Layout(width="260px")
        )
        self.rollup = w.Button(description="汇总其下级单位", disabled=not parents)
        self.rollup.on_click(lambda _b: on_rollup(self.parent.value))
        self.question = w.HTML()
        self.own = w.Button(description="本级数据（不含下级）")
        self.all = w.Button(description="已含下级单位")
        self.own.on_click(lambda _b: self._answer(on_scope, OWN_LEVEL))
        self.all.on_click(lambda _b: self._answer(on_scope, WITH_SUBORDINATES))
        self.ask_box = w.HBox([self.question, self.own, self.all])
        self.ask_box.add_class("jf-wrap")
        self.ask_box.layout.display = "none"
        row = w.HBox([self.switch, self.name, self.parent, self.rollup])
        row.add_class("jf-wrap")
        self.switch.observe(lambda _c: on_change(), names="value")
        self.name.observe(self._on_name_change, names="value")
        super().__init__([row, self.ask_box])

    @property
    def group(self) -> str | None:
        """The group's name when grouping is on, else None."""
        if not self.switch.value:
            return None
        return self.name.value.strip() or self._auto or "汇总"

    def set_hierarchy(self, hierarchy: pd.DataFrame) -> None:
        self._hierarchy = hierarchy

    def follow(self, units: Sequence[str]) -> None:
        """Name the group after the selection, unless the user typed a name of their own."""
        name = default_group_name(units, self._hierarchy)
        if self.name.value.strip() in ("", self._auto):
            self._auto = name
            self._set_name(name)
        else:
            self._auto = name

    def ask(self, unstated: Sequence[Overlap]) -> None:
        """Ask about the first parent whose scope is not recorded (or hide the question)."""
        self._asked = unstated[0] if unstated else None
        if self._asked is None:
            self.ask_box.layout.display = "none"
            self.question.value = ""
            return
        parent, below = self._asked.parent, "、".join(self._asked.below)
        self.question.value = element(
            "span",
            f"{parent}的数据是否已包含其下级单位（{below}）？未注明时按本级数据相加。",
            "jf-ask",
        )
        self.ask_box.layout.display = "flex"

    def _answer(self, on_scope: Callable[[str, str], None], scope: str) -> None:
        if self._asked is not None:
            on_scope(self._asked.parent, scope)

    def _on_name_change(self, change) -> None:
        if self._quiet:
            return
        if self.switch.value:
            self._on_change()

    def _set_name(self, name: str) -> None:
        self._quiet = True
        try:
            self.name.value = name
        finally:
            self._quiet = False
