"""A form generated from the catalog: one text field per entered indicator, by category."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w

from jianfu.catalog import Catalog, Indicator
from jianfu.dataio.form import check_field, form_texts

from .templating import element

LABEL_STYLE = {"description_width": "320px"}
OK_BORDER = "1px solid #d0d7de"
BAD_BORDER = "2px solid #cf222e"


class IndicatorField(w.HBox):
    """Text box plus an inline message; validates as the user leaves the field."""

    def __init__(self, indicator: Indicator):
        self.indicator = indicator
        self._text = w.Text(
            description=indicator.label,
            placeholder="未填",
            continuous_update=False,
            style=LABEL_STYLE,
            layout=w.Layout(width="500px"),
            tooltip=indicator.description or indicator.label,
        )
        self._message = w.HTML()
        self._error = ""
        self._text.observe(self._on_text_change, names="value")
        super().__init__([self._text, self._message])
        self.add_class("jf-field")

    @property
    def value(self) -> str:
        return self._text.value

    @value.setter
    def value(self, text: str) -> None:
        self._text.value = text
        self.show_error(None)

    def type(self, text: str) -> None:
        """Put ``text`` in the field as a person typing it would (checked as typed)."""
        self._text.value = text

    @property
    def error(self) -> str:
        """The message shown under the field ("" when the value is fine)."""
        return self._error

    def show_error(self, message: str | None) -> None:
        self._error = message or ""
        self._text.layout.border = BAD_BORDER if message else OK_BORDER
        self._message.value = element("span", message, "jf-field-error") if message else ""

    def _on_text_change(self, change) -> None:
        _, message = check_field(self.indicator, change["new"])
        self.show_error(message)


class IndicatorForm(w.VBox):
    """All fields of the catalog, grouped in an accordion by category.

    A section's fields are built when it is first opened: the whole catalog is
    some 400 widget models, and each one costs the browser time at page load.
    Values and errors for sections not built yet wait in plain dicts.
    """

    def __init__(self, catalog: Catalog):
        self._sections = [
            (
                category,
                [i for i in indicators if i.entered],
                [i.name for i in indicators if not i.entered],
            )
            for category, indicators in catalog.by_category().items()
        ]
        self._section_of = {
            i.code: n for n, (_, entered, _) in enumerate(self._sections) for i in entered
        }
        self._fields: dict[str, IndicatorField] = {}
        self._texts: dict[str, str] = dict.fromkeys(self._section_of, "")
        self._errors: dict[str, str] = {}
        self._accordion = w.Accordion(
            children=[w.VBox() for _ in self._sections],
            titles=tuple(f"{c}（{len(entered)}项）" for c, entered, _ in self._sections),
        )
        self._accordion.observe(self._on_section_open, names="selected_index")
        self._accordion.selected_index = 0
        super().__init__([self._accordion])

    @property
    def fields(self) -> dict[str, IndicatorField]:
        """The fields built so far, by indicator code."""
        return self._fields

    def field(self, code: str) -> IndicatorField:
        """One field, building its section if needed."""
        self._build(self._section_of[code])
        return self._fields[code]

    @property
    def value(self) -> dict[str, str]:
        """Raw text of every field, by indicator code."""
        return {
            code: self._fields[code].value if code in self._fields else text
            for code, text in self._texts.items()
        }

    def fill(self, values: Mapping[str, float]) -> None:
        """Show stored values, losslessly; fields without a value are emptied."""
        self._errors = {}
        texts = form_texts(values)
        for code in self._texts:
            self._texts[code] = texts.get(code, "")
            if code in self._fields:
                self._fields[code].value = self._texts[code]

    def set_text(self, code: str, text: str) -> None:
        """Change one field's text (e.g. 0.85 read as 85 after asking the user)."""
        self._texts[code] = text
        if code in self._fields:
            self._fields[code].value = text

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Mark bad fields and open the first section holding one."""
        self._errors = {c: m for c, m in errors.items() if c in self._section_of}
        for code, field in self._fields.items():
            field.show_error(self._errors.get(code))
        if self._errors:
            self._accordion.selected_index = min(self._section_of[c] for c in self._errors)

    def _on_section_open(self, change) -> None:
        if change["new"] is not None:
            self._build(change["new"])

    def _build(self, n: int) -> None:
        section = self._accordion.children[n]
        if section.children:
            return
        _, entered, computed = self._sections[n]
        fields = [IndicatorField(i) for i in entered]
        for field in fields:
            code = field.indicator.code
            self._fields[code] = field
            field.value = self._texts[code]
            field.show_error(self._errors.get(code))
        note = (
            element("small", f"{'、'.join(computed)}由分子分母自动计算，无需填写。")
            if computed
            else ""
        )
        section.children = [*fields, w.HTML(note)]
