"""A form generated from the catalog: one text field per entered indicator, by category."""

from __future__ import annotations

import html
from collections.abc import Mapping

import ipywidgets as w

from jianfu.catalog import Catalog, Indicator
from jianfu.forms import check_field

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

    def show_error(self, message: str | None) -> None:
        self._text.layout.border = BAD_BORDER if message else OK_BORDER
        self._message.value = (
            f'<span style="color:#cf222e">{html.escape(message)}</span>' if message else ""
        )

    def _on_text_change(self, change) -> None:
        _, message = check_field(self.indicator, change["new"])
        self.show_error(message)


class IndicatorForm(w.VBox):
    """All fields of the catalog, grouped in an accordion by category."""

    def __init__(self, catalog: Catalog):
        self._fields: dict[str, IndicatorField] = {}
        sections, titles = [], []
        for category, indicators in catalog.by_category().items():
            fields = [IndicatorField(i) for i in indicators if i.entered]
            self._fields.update({f.indicator.code: f for f in fields})
            computed = [i.name for i in indicators if not i.entered]
            note = w.HTML(
                f"<small>{html.escape('、'.join(computed))}由分子分母自动计算，无需填写。</small>"
                if computed
                else ""
            )
            sections.append(w.VBox([*fields, note]))
            titles.append(f"{category}（{len(fields)}项）")
        self._accordion = w.Accordion(children=sections, titles=tuple(titles))
        self._accordion.selected_index = 0
        super().__init__([self._accordion])

    @property
    def fields(self) -> dict[str, IndicatorField]:
        return self._fields

    @property
    def value(self) -> dict[str, str]:
        """Raw text of every field, by indicator code."""
        return {code: f.value for code, f in self._fields.items()}

    def fill(self, values: Mapping[str, float]) -> None:
        """Show stored values; fields without a value are emptied."""
        for code, field in self._fields.items():
            number = values.get(code)
            field.value = "" if number is None else _plain(number)

    def show_errors(self, errors: Mapping[str, str]) -> None:
        for code, field in self._fields.items():
            field.show_error(errors.get(code))
        bad = [n for n, f in enumerate(self._accordion.children) if _has_error(f, errors)]
        if bad:
            self._accordion.selected_index = bad[0]


def _has_error(section: w.VBox, errors: Mapping[str, str]) -> bool:
    return any(
        isinstance(c, IndicatorField) and c.indicator.code in errors for c in section.children
    )


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"
