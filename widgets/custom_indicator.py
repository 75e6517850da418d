"""A small form to add a user's own indicator beside the shipped catalog.

Choices that would let a figure lie are not offered: a percent typed in is never
added up (不汇总), a ratio is defined by a numerator and a denominator (so a
combined unit recomputes it), and the direction has to be chosen, not defaulted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from jianfu.catalog import AGGREGATE_LABELS, CATEGORIES, DIRECTIONS, KIND_LABELS

from .handles import Handles
from .status import StatusLine

STYLE = {"description_width": "90px"}
CHOOSE = ("（请选择）", None)
ADDED_UP = ("sum", "mean", "max", "min", "none")


class CustomIndicatorForm(Handles, w.VBox):
    """Collects the fields of a custom indicator; ``on_add(entry)`` stores it and returns its name.

    ``parts`` are (label, code) of the count indicators a ratio may be built from.
    """

    INPUTS = (
        "name",
        "category",
        "measure",
        "direction",
        "kind",
        "aggregate",
        "numerator",
        "denominator",
        "description",
    )
    BUTTONS = ("add",)
    OUTPUTS = ("hint",)

    def __init__(self, on_add: Callable[[dict], str], parts: Sequence[tuple[str, str]] = ()):
        self._on_add = on_add
        self._status = StatusLine()  # at the top: seen without scrolling after a click
        self._name = w.Text(description="指标名称", placeholder="如：村级组织挂牌数", style=STYLE)
        self._category = w.Dropdown(description="类别", options=CATEGORIES, style=STYLE)
        self._measure = w.Text(description="计量单位", placeholder="如：块、次、项", style=STYLE)
        self._direction = w.Dropdown(
            description="方向", options=[CHOOSE, *((d, d) for d in DIRECTIONS)], style=STYLE
        )
        self._kind = w.Dropdown(
            description="类型",
            options=[(label, kind) for kind, label in KIND_LABELS.items()],
            style=STYLE,
        )
        self._aggregate = w.Dropdown(description="汇总方式", style=STYLE)
        self._numerator = w.Dropdown(description="分子", options=[CHOOSE, *parts], style=STYLE)
        self._denominator = w.Dropdown(description="分母", options=[CHOOSE, *parts], style=STYLE)
        self._hint = w.HTML()
        self._description = w.Textarea(description="说明", placeholder="可选", style=STYLE)
        self._add = w.Button(description="添加指标", button_style="primary")
        self._add.on_click(self._on_add_click)
        self._kind.observe(self._on_kind_change, names="value")
        super().__init__(
            [
                w.HTML("<p>目录中没有的指标可以在这里添加，添加后出现在填报表单和导入模板中。</p>"),
                self._status,
                self._name,
                self._category,
                self._direction,
                self._kind,
                self._measure,
                self._aggregate,
                self._numerator,
                self._denominator,
                self._hint,
                self._description,
                self._add,
            ]
        )
        self._on_kind_change()

    @property
    def value(self) -> dict:
        entry = {
            "name": self._name.value,
            "category": self._category.value,
            "measure": self._measure.value,
            "direction": self._direction.value,
            "kind": self._kind.value,
            "aggregate": self._aggregate.value,
            "description": self._description.value,
        }
        if self._kind.value == "ratio":
            entry.update(numerator=self._numerator.value, denominator=self._denominator.value)
        return entry

    @property
    def message(self) -> str:
        return self._status.text

    def set_parts(self, parts: Sequence[tuple[str, str]]) -> None:
        """The count indicators a ratio may use (after the catalog grew)."""
        for control in (self._numerator, self._denominator):
            control.options = [CHOOSE, *parts]

    def _on_kind_change(self, _change=None) -> None:
        kind = self._kind.value
        ratio = kind == "ratio"
        allowed = ("none",) if kind == "percent" else () if ratio else ADDED_UP
        self._aggregate.options = [(AGGREGATE_LABELS[a], a) for a in allowed]
        self._aggregate.value = allowed[0] if allowed else None
        for control in (self._numerator, self._denominator):
            control.layout.display = "flex" if ratio else "none"
        self._measure.layout.display = "none" if ratio else "flex"
        self._aggregate.layout.display = "none" if ratio else "flex"
        self._hint.value = {
            "percent": "<small>直接填写的百分比不能相加：汇总多个单位时不计算这个指标。"
            "如需汇总，请改用“比例（计算）”，由分子、分母计算。</small>",
            "ratio": "<small>比例 = 分子 ÷ 分母 × 100%，汇总时用分子、分母之和重新计算。</small>",
        }.get(kind, "")

    def _on_add_click(self, _button) -> None:
        with self._status.guard():
            if self._direction.value is None:
                self._status.error("请选择方向（越少越好、越多越好或中性），未添加。")
                return
            name = self._on_add(self.value)
            self._name.value = ""
            self._measure.value = ""
            self._description.value = ""
            self._status.ok(f"已添加指标“{name}”")
