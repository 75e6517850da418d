"""A small form to add a user's own indicator beside the shipped catalog."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from jianfu.catalog import AGGREGATES, CATEGORIES, DIRECTIONS, KIND_LABELS

from .status import StatusLine

AGGREGATE_LABELS = {"sum": "求和", "mean": "平均", "max": "最大值", "min": "最小值"}
STYLE = {"description_width": "90px"}


class CustomIndicatorForm(w.VBox):
    """Collects the fields of a custom indicator; `on_add(entry)` stores it and returns its name."""

    def __init__(self, on_add: Callable[[dict], str]):
        self._on_add = on_add
        self._name = w.Text(description="指标名称", placeholder="如：村级组织挂牌数", style=STYLE)
        self._category = w.Dropdown(description="类别", options=CATEGORIES, style=STYLE)
        self._measure = w.Text(description="计量单位", placeholder="如：块、次、项", style=STYLE)
        self._direction = w.Dropdown(description="方向", options=DIRECTIONS, style=STYLE)
        kinds = [(label, kind) for kind, label in KIND_LABELS.items() if kind != "ratio"]
        self._kind = w.Dropdown(description="类型", options=kinds, style=STYLE)
        aggregates = [(AGGREGATE_LABELS[a], a) for a in AGGREGATES]
        self._aggregate = w.Dropdown(description="汇总方式", options=aggregates, style=STYLE)
        self._description = w.Textarea(description="说明", placeholder="可选", style=STYLE)
        self._add = w.Button(description="添加指标", button_style="primary")
        self._status = StatusLine()
        self._add.on_click(self._on_add_click)
        super().__init__(
            [
                w.HTML("<p>目录中没有的指标可以在这里添加，添加后出现在填报表单和导入模板中。</p>"),
                self._name,
                self._category,
                self._measure,
                self._direction,
                self._kind,
                self._aggregate,
                self._description,
                self._add,
                self._status,
            ]
        )

    @property
    def value(self) -> dict:
        return {
            "name": self._name.value,
            "category": self._category.value,
            "measure": self._measure.value,
            "direction": self._direction.value,
            "kind": self._kind.value,
            "aggregate": self._aggregate.value,
            "description": self._description.value,
        }

    def _on_add_click(self, _button) -> None:
        with self._status.guard():
            name = self._on_add(self.value)
            self._name.value = ""
            self._measure.value = ""
            self._description.value = ""
            self._status.ok(f"已添加指标“{name}”")
