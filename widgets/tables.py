"""Render DataFrames and message lists as escaped HTML for ipywidgets.HTML.

Styles live in the Voila template's stylesheet (jianfu.css), keyed by class.
"""

from __future__ import annotations

import pandas as pd

from jianfu.numbers.format import fmt_number

from .templating import render


def cell(value: object) -> str:
    """One cell's text; numbers without trailing zeros, missing as — (escaped by the template)."""
    if isinstance(value, int | float) or value is None or value is pd.NA:
        return fmt_number(value)  # the one number format (half-up, no trailing zeros, — if missing)
    return str(value)


def frame_html(
    frame: pd.DataFrame,
    max_rows: int = 200,
    row_class: str | None = None,
    total: int | None = None,
) -> str:
    """An HTML table; every header and cell is escaped. `row_class` names a column of CSS classes.

    The table scrolls sideways inside its own box with the first column held in
    place (jianfu.css), so a wide table never widens the page on a phone.
    ``total`` is the full row count when ``frame`` was cut short before.
    """
    columns = [c for c in frame.columns if c != row_class]
    rows = [
        (
            str(row[row_class]) if row_class else None,
            [(cell(row[c]), isinstance(row[c], int | float)) for c in columns],
        )
        for _, row in frame.head(max_rows).iterrows()
    ]
    total = len(frame) if total is None else total
    shown = min(len(frame), max_rows)
    head = [str(c) for c in columns]
    return render("table.html", head=head, rows=rows, total=total, shown=shown)


def messages_html(messages: list[str], title: str = "") -> str:
    """An escaped numbered list of problems, e.g. import errors."""
    return render("messages.html", messages=messages, title=title)


def note_html(text: str) -> str:
    """A short escaped note under a table (e.g. who a total leaves out)."""
    return render("note.html", text=text)
