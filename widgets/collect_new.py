"""The 新建填报任务 form: name, period, units (chosen, a saved 监测点 list or a
parent's subordinates), indicators (chosen or a saved 指标组), due date, notes."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from jianfu.collect.rounds import Collect

from .status import StatusLine

CHOSEN = "逐个选择"


class NewRoundForm(w.VBox):
    def __init__(self, collect: Collect, on_created: Callable[[str], None]):
        self._collect = collect
        self._on_created = on_created
        wide = w.Layout(width="420px")
        self.name = w.Text(
            description="任务名称", placeholder="如 2025年一季度七减监测", layout=wide
        )
        self.period = w.Combobox(description="填报时期", placeholder="如 2025年", layout=wide)
        self.source = w.Dropdown(description="填报单位", layout=wide)
        self.units = w.SelectMultiple(description="选择单位", rows=6, layout=wide)
        self.group = w.Dropdown(description="指标", layout=wide)
        self.indicators = w.SelectMultiple(description="选择指标", rows=8, layout=wide)
        self.save_group = w.Text(description="另存指标组", placeholder="可不填", layout=wide)
        self.due = w.DatePicker(description="截止日期")
        self.notes = w.Textarea(description="填报说明", layout=wide)
        self.create = w.Button(description="新建任务", button_style="primary")
        self.status = StatusLine()
        self.create.on_click(self._on_create)
        super().__init__(
            [self.name, self.period, self.source, self.units, self.group, self.indicators,
             self.save_group, self.due, self.notes, self.create, self.status]
        )  # fmt: skip
        self.reload()

    def reload(self) -> None:
        store = self._collect.store
        self.period.options = store.periods()
        parents = sorted({p for p in store.units()["parent"] if p})
        self.source.options = [CHOSEN, *(f"监测点：{n}" for n in self._collect.sites()),
                               *(f"{p}的下级单位" for p in parents)]  # fmt: skip
        self.units.options = store.unit_names()
        self.group.options = [CHOSEN, *(f"指标组：{g}" for g in self._collect.groups())]
        self.indicators.options = [(i.label, i.code) for i in store.catalog() if i.entered]

    def _unit_names(self) -> list[str]:
        choice = self.source.value or CHOSEN
        if choice.startswith("监测点："):
            return self._collect.sites()[choice.removeprefix("监测点：")]
        if choice.endswith("的下级单位"):
            return self._collect.children(choice.removesuffix("的下级单位"))
        return list(self.units.value)

    def _on_create(self, _button) -> None:
        with self.status.guard():
            group = ""
            codes = list(self.indicators.value)
            if (self.group.value or CHOSEN).startswith("指标组："):
                group, codes = self.group.value.removeprefix("指标组："), []
            elif self.save_group.value.strip() and codes:
                group = self._collect.save_group(self.save_group.value, codes)
            rnd = self._collect.new_round(
                self.name.value, self.period.value, self._unit_names(), codes,
                group=group, due=self.due.value, notes=self.notes.value,
            )  # fmt: skip
            self.status.ok(f"已新建填报任务“{rnd.name}”：{len(rnd.units)}个单位，"
                           f"{len(rnd.indicators)}项指标")  # fmt: skip
            self._on_created(rnd.name)
