"""单位和时期: add, rename, re-parent and delete units; add, rename, delete and order periods.

A leaf widget: it is given the current units and periods and the actions to call
(:class:`LabelActions`), never the store. Deleting asks first and says how many
values go with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as w
import pandas as pd

from .confirm import ConfirmBar
from .handles import Handles
from .status import StatusLine

WIDE = w.Layout(width="260px")
# whether a unit's figures include its subordinates' (asked again on the 对比 page)
SCOPE_OPTIONS = (("未注明（按本级）", ""), ("本级", "本级"), ("含下级", "含下级"))
SCOPE_HINT = (
    "<small>数据口径：“本级”只含本单位自身的数字；“含下级”已包含下级单位的数字，"
    "对比时不会再与下级单位相加（以免重复计算）。</small>"
)


@dataclass(frozen=True)
class LabelActions:
    """What the panel may do; the app shell binds these to the store."""

    add_unit: Callable[..., str]  # (name, level, parent, scope=...)
    update_unit: Callable[..., None]  # (name, level, parent, scope=...)
    rename_unit: Callable[[str, str], str]
    delete_unit: Callable[[str], int]
    add_period: Callable[[str], str]
    rename_period: Callable[[str, str], str]
    delete_period: Callable[[str], int]
    set_period_order: Callable[[list[str]], None]
    count_values: Callable[..., int]  # count_values(unit=...) or count_values(period=...)


class LabelsPanel(Handles, w.VBox):
    """Everything about units and periods; ``on_changed(unit, period)`` after each change."""

    INPUTS = (
        "new_unit",
        "new_level",
        "new_parent",
        "new_scope",
        "unit",
        "unit_name",
        "unit_level",
        "unit_parent",
        "unit_scope",
        "new_period",
        "period",
        "period_name",
        "order",
    )
    BUTTONS = (
        "add_unit",
        "rename_unit",
        "update_unit",
        "delete_unit",
        "add_period",
        "rename_period",
        "delete_period",
        "up",
        "down",
        "save_order",
    )
    ASK = "_confirm"

    def __init__(
        self,
        levels: tuple[str, ...],
        actions: LabelActions,
        on_changed: Callable[[str | None, str | None], None],
    ):
        self._actions = actions
        self._on_changed = on_changed
        self._status = StatusLine()
        self._confirm = ConfirmBar()
        # new unit
        self._new_unit = w.Text(description="单位名称", placeholder="如：某某镇", layout=WIDE)
        self._new_level = w.Dropdown(description="层级", options=levels, value="乡镇", layout=WIDE)
        self._new_parent = w.Dropdown(description="上级单位", layout=WIDE)
        self._new_scope = w.Dropdown(description="数据口径", options=SCOPE_OPTIONS, layout=WIDE)
        self._add_unit = w.Button(description="添加单位", button_style="primary")
        # existing unit
        self._unit = w.Dropdown(description="单位", layout=WIDE)
        self._unit_name = w.Text(description="新名称", layout=WIDE)
        self._rename_unit = w.Button(description="改名")
        self._unit_level = w.Dropdown(description="层级", options=levels, layout=WIDE)
        self._unit_parent = w.Dropdown(description="上级单位", layout=WIDE)
        self._unit_scope = w.Dropdown(description="数据口径", options=SCOPE_OPTIONS, layout=WIDE)
        self._update_unit = w.Button(description="保存层级、上级和口径")
        self._delete_unit = w.Button(description="删除单位…", button_style="danger")
        # periods
        self._new_period = w.Text(
            description="新时期", placeholder="如：2025年、改革后", layout=WIDE
        )
        self._add_period = w.Button(description="添加时期", button_style="primary")
        self._period = w.Dropdown(description="时期", layout=WIDE)
        self._period_name = w.Text(description="新名称", layout=WIDE)
        self._rename_period = w.Button(description="改名")
        self._delete_period = w.Button(description="删除时期…", button_style="danger")
        # moved with buttons, not typed: a label may itself contain 、 or a comma
        self._order = w.Select(description="时期顺序", rows=6, layout=WIDE)
        self._up = w.Button(description="上移")
        self._down = w.Button(description="下移")
        self._save_order = w.Button(description="保存顺序")
        self._units = pd.DataFrame(columns=["name", "level", "parent", "scope"])

        self._unit.observe(self._on_unit_change, names="value")
        self._period.observe(self._on_period_change, names="value")
        for button, handler in (
            (self._add_unit, self._on_add_unit_click),
            (self._rename_unit, self._on_rename_unit_click),
            (self._update_unit, self._on_update_unit_click),
            (self._delete_unit, self._on_delete_unit_click),
            (self._add_period, self._on_add_period_click),
            (self._rename_period, self._on_rename_period_click),
            (self._delete_period, self._on_delete_period_click),
            (self._save_order, self._on_save_order_click),
            (self._up, lambda _b: self._move(-1)),
            (self._down, lambda _b: self._move(1)),
        ):
            button.on_click(handler)
        super().__init__(
            [
                self._status,
                self._confirm,
                w.HTML("<b>新增单位</b>"),
                w.HBox([self._new_unit, self._new_level, self._new_parent, self._new_scope]),
                w.HBox([self._add_unit]),
                w.HTML("<b>修改或删除单位</b>"),
                w.HBox([self._unit, self._unit_name, self._rename_unit]),
                w.HBox([self._unit_level, self._unit_parent, self._unit_scope]),
                w.HBox([self._update_unit]),
                w.HTML(SCOPE_HINT),
                w.HBox([self._delete_unit]),
                w.HTML("<b>时期</b>"),
                w.HBox([self._new_period, self._add_period]),
                w.HBox([self._period, self._period_name, self._rename_period, self._delete_period]),
                w.HBox([self._order, w.VBox([self._up, self._down, self._save_order])]),
            ]
        )
        self.add_class("jf-labels")

    def refresh(self, units: pd.DataFrame, periods: list[str]) -> None:
        """Show the current units (name, level, parent) and periods."""
        self._units = units
        names = units["name"].tolist()
        parents = [("（无）", "")] + [(n, n) for n in names]
        with self.hold_trait_notifications():
            self._new_parent.options = parents
            self._unit_parent.options = parents
            self._unit.options = names
            self._period.options = periods
            self._order.options = periods
        self._on_unit_change()
        self._on_period_change()

    # ---- handlers -------------------------------------------------------
    def _on_unit_change(self, _change=None) -> None:
        row = self._units[self._units["name"] == self._unit.value]
        self._unit_name.value = self._unit.value or ""
        if len(row):
            self._unit_level.value = row["level"].iloc[0]
            self._unit_parent.value = row["parent"].iloc[0] or ""
            scope = row["scope"].iloc[0] if "scope" in row.columns else ""
            self._unit_scope.value = scope if isinstance(scope, str) else ""

    def _on_period_change(self, _change=None) -> None:
        self._period_name.value = self._period.value or ""

    def _on_add_unit_click(self, _button) -> None:
        with self._status.guard():
            name = self._actions.add_unit(
                self._new_unit.value,
                self._new_level.value,
                self._new_parent.value or None,
                scope=self._new_scope.value,
            )
            self._new_unit.value = ""
            self._done(f"已添加单位“{name}”", unit=name)

    def _on_rename_unit_click(self, _button) -> None:
        with self._status.guard():
            old = self._unit.value
            name = self._actions.rename_unit(old, self._unit_name.value)
            self._done(f"已将单位“{old}”改名为“{name}”", unit=name)

    def _on_update_unit_click(self, _button) -> None:
        with self._status.guard():
            unit = self._unit.value
            self._actions.update_unit(
                unit,
                self._unit_level.value,
                self._unit_parent.value or None,
                scope=self._unit_scope.value,
            )
            self._done(f"已保存“{unit}”的层级、上级单位和数据口径", unit=unit)

    def _on_delete_unit_click(self, _button) -> None:
        with self._status.guard():
            unit = self._unit.value
            count = self._actions.count_values(unit=unit)
            self._confirm.ask(
                f"删除单位“{unit}”将同时删除它的{count}项数据，且不能恢复。确认删除吗？",
                [
                    ("确认删除", lambda: self._delete("unit", unit), "danger"),
                    ("取消", _nothing, ""),
                ],
            )

    def _on_add_period_click(self, _button) -> None:
        with self._status.guard():
            label = self._actions.add_period(self._new_period.value)
            self._new_period.value = ""
            self._done(f"已添加时期“{label}”", period=label)

    def _on_rename_period_click(self, _button) -> None:
        with self._status.guard():
            old = self._period.value
            label = self._actions.rename_period(old, self._period_name.value)
            self._done(f"已将时期“{old}”改名为“{label}”", period=label)

    def _on_delete_period_click(self, _button) -> None:
        with self._status.guard():
            period = self._period.value
            count = self._actions.count_values(period=period)
            self._confirm.ask(
                f"删除时期“{period}”将同时删除所有单位在该时期的{count}项数据，且不能恢复。确认删除吗？",
                [
                    ("确认删除", lambda: self._delete("period", period), "danger"),
                    ("取消", _nothing, ""),
                ],
            )

    def _on_save_order_click(self, _button) -> None:
        """Charts and trend checks follow this order (years sort by year until changed)."""
        with self._status.guard():
            self._actions.set_period_order(list(self._order.options))
            self._done("已保存时期顺序")

    # ---- helpers --------------------------------------------------------
    def _move(self, step: int) -> None:
        order = list(self._order.options)
        if self._order.value not in order:
            return
        at = order.index(self._order.value)
        to = min(max(at + step, 0), len(order) - 1)
        order.insert(to, order.pop(at))
        picked = self._order.value
        self._order.options = order
        self._order.value = picked

    def _delete(self, what: str, name: str) -> None:
        with self._status.guard():
            if what == "unit":
                gone = self._actions.delete_unit(name)
                self._done(f"已删除单位“{name}”及其{gone}项数据")
            else:
                gone = self._actions.delete_period(name)
                self._done(f"已删除时期“{name}”及其{gone}项数据")

    def _done(self, message: str, unit: str | None = None, period: str | None = None) -> None:
        self._on_changed(unit, period)
        self._status.ok(message)


def _nothing() -> None:
    pass
