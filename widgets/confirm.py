"""A question with buttons, shown in place: “有3项修改未保存：保存后切换 / 放弃修改 / 留在这里”."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w

from .common import message_html

Choice = tuple[str, Callable[[], None], str]  # label, action, button style ("" or "danger"…)


class ConfirmBar(w.VBox):
    """Hidden until asked; a click hides it again and runs the chosen action."""

    def __init__(self):
        self._message = w.HTML()
        self._buttons = w.HBox()
        super().__init__([self._message, self._buttons], layout=w.Layout(display="none"))
        self.add_class("jf-confirm")

    @property
    def asking(self) -> bool:
        return self.layout.display != "none"

    @property
    def question(self) -> str:
        """The text being asked ("" when hidden), for tests and screen readers."""
        return self._question if self.asking else ""

    @property
    def choices(self) -> list[w.Button]:
        return list(self._buttons.children)

    def answer(self, label: str) -> None:
        """Click the one offered choice whose text starts with ``label``."""
        matching = [b for b in self.choices if b.description.startswith(label)]
        if len(matching) != 1:
            offered = "、".join(b.description for b in self.choices)
            raise LookupError(f"{label!r} is not one offered choice ({offered})")
        matching[0].click()

    def ask(self, message: str, choices: Sequence[Choice]) -> None:
        self._question = message
        self._message.value = message_html(message, "info")
        buttons = []
        for label, action, style in choices:
            button = w.Button(description=label, button_style=style, layout=w.Layout(width="auto"))
            button.on_click(lambda _b, act=action: self._choose(act))
            buttons.append(button)
        self._buttons.children = buttons
        self.layout.display = "flex"

    def hide(self) -> None:
        self.layout.display = "none"
        self._buttons.children = []

    def _choose(self, action: Callable[[], None]) -> None:
        self.hide()
        action()
