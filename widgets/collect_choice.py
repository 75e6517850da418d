"""“使用哪一份”: the 填报任务 page's choice among files returned twice for one unit.

When the newer of a unit's files cannot be told, nothing of that unit is imported
until the user picks one here; the buttons list the files, the lines under them
what tells them apart (modified time, the values that differ).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as w

from jianfu.collect.batch import BatchReport

from .templating import render


class ChoicePanel(w.VBox):
    """One ToggleButtons per unit awaiting a choice; ``buttons`` is what tests drive."""

    def __init__(self, on_change: Callable[[], None]):
        super().__init__()
        self._on_change = on_change
        self.buttons: dict[str, w.ToggleButtons] = {}

    def show(self, report: BatchReport | None) -> None:
        """The units of ``report`` awaiting a choice, none picked yet (``None``: clear)."""
        self.buttons = {}
        children = []
        asked = report.choices() if report else {}
        for unit, files in asked.items():
            buttons = w.ToggleButtons(options=files, value=None, description="使用哪一份")
            buttons.observe(lambda _: self._on_change(), names="value")
            self.buttons[unit] = buttons
            said = render("collect_choice.html", unit=unit, n=len(files),
                          lines=_lines(report, files[0]))  # fmt: skip
            children += [w.HTML(said), buttons]
        self.children = children

    def chosen(self) -> list[str]:
        return [b.value for b in self.buttons.values() if b.value is not None]


def _lines(report: BatchReport, file: str) -> tuple[str, ...]:
    """What tells the files apart: the messages after the headline."""
    outcome = next(o for o in report.outcomes if o.file == file)
    return outcome.messages[1:]
