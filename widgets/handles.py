"""Named handles on a page's controls: what a user sets, clicks and reads.

A page lists its controls by public name (``INPUTS``, ``BUTTONS``, ``OUTPUTS``);
tests, benchmarks and scripts drive the page through those names, as a person
would, instead of reaching into its private attributes. Only the listed names
are reachable, so the list is the page's testing surface.
"""

from __future__ import annotations

import ipywidgets as w


class Handles:
    """Mixed into a page: ``choose(units=...)``, ``click("export")``, ``output("table")``."""

    INPUTS: tuple[str, ...] = ()  # controls the user sets (value)
    BUTTONS: tuple[str, ...] = ()  # buttons the user clicks
    OUTPUTS: tuple[str, ...] = ()  # HTML the page shows
    PARTS: tuple[str, ...] = ()  # boxes the page shows or hides (for ``shown``)
    ASK = "_ask"  # the page's ConfirmBar

    def choose(self, **values: object) -> None:
        """Set controls as a user would, one after another in the order given."""
        for name, value in values.items():
            self._handle(self.INPUTS, name).value = value

    def chosen(self, name: str) -> object:
        """What a control holds now."""
        return self._handle(self.INPUTS, name).value

    def options(self, name: str) -> tuple:
        """What a choice control offers (its options as given to it)."""
        return tuple(self._handle(self.INPUTS, name).options)

    def click(self, name: str) -> None:
        self._handle(self.BUTTONS, name).click()

    def button_label(self, name: str) -> str:
        """What a button says now (some say what they will do: 结束收集 / 重新开放)."""
        return self._handle(self.BUTTONS, name).description

    def output(self, name: str) -> str:
        """The HTML an output shows now."""
        return self._handle(self.OUTPUTS, name).value

    def shown(self, name: str) -> bool:
        """True when a listed control or part is on the page now: among its children and
        not hidden by a box around it. Every page of a tab counts (``open_tab`` picks one)."""
        every = self.INPUTS + self.BUTTONS + self.OUTPUTS + self.PARTS
        return _shows(self, self._handle(every, name))

    @property
    def css_classes(self) -> tuple[str, ...]:
        """The page's CSS classes now (what switches its look, e.g. the projector view)."""
        return css_classes(self)

    @property
    def status_text(self) -> str:
        """The feedback line, as plain text."""
        return self._status.text

    @property
    def status_html(self) -> str:
        """The feedback line as shown (escaped HTML)."""
        return self._status.value

    @property
    def question(self) -> str:
        """What the page asks the user now ("" when nothing)."""
        return getattr(self, self.ASK).question

    @property
    def offered(self) -> list[str]:
        """The answers the page's question offers now ([] when it asks nothing)."""
        return [b.description for b in getattr(self, self.ASK).choices]

    def answer(self, label: str) -> None:
        """Answer the page's question (its ConfirmBar) by the choice starting with ``label``."""
        getattr(self, self.ASK).answer(label)

    @property
    def status_kind(self) -> str:
        """The feedback line's kind: "success", "info", "error" or "" (nothing shown)."""
        return self._status.kind

    @property
    def tab(self) -> int | None:
        """The open tab's index."""
        return self._tabs.selected_index

    def open_tab(self, index: int) -> None:
        self._tabs.selected_index = index

    def _handle(self, names: tuple[str, ...], name: str) -> w.Widget:
        if name not in names:
            raise KeyError(f"{type(self).__name__} has no {name!r} (one of {', '.join(names)})")
        return self._control(name)

    def _control(self, name: str) -> w.Widget:
        """The widget behind a listed name: ``_name``; a page may map a name its own way."""
        return getattr(self, f"_{name}")


def css_classes(widget: w.DOMWidget) -> tuple[str, ...]:
    """A widget's CSS classes now (the style sheet's hooks: flagged, projector, present)."""
    return tuple(widget._dom_classes)


def _hidden(widget: w.Widget) -> bool:
    layout = getattr(widget, "layout", None)
    return layout is not None and (layout.display == "none" or layout.visibility == "hidden")


def _shows(box: w.Widget, target: w.Widget) -> bool:
    """True when ``target`` is ``box`` or inside it, with nothing on the way hidden."""
    if _hidden(box):
        return False
    if box is target:
        return True
    return any(_shows(child, target) for child in getattr(box, "children", ()))
