"""Render DataFrames and message lists as escaped HTML for ipywidgets.HTML.

Styles live in the Voila template's stylesheet (jianfu.css), keyed by class.
"""

from __future__ import annotations

import html

import pandas as pd

from jianfu.numbers.format import fmt_number


def cell(value: object) -> str:
    """One escaped cell text; numbers without trailing zeros, missing as —."""
    if isinstance(value, int | float) or value is None or value is pd.NA:
        return fmt_number(value)  # the one number format (half-up, no trailing zeros, — if missing)
    return html.escape(str(value))


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
    if frame.empty:
        return "<p>（暂无数据）</p>"
    columns = [c for c in frame.columns if c != row_class]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = []
    for _, row in frame.head(max_rows).iterrows():
        cls = f' class="{html.escape(str(row[row_class]))}"' if row_class else ""
        cells = "".join(
            f'<td class="num">{cell(row[c])}</td>'
            if isinstance(row[c], int | float)
            else f"<td>{cell(row[c])}</td>"
            for c in columns
        )
        body.append(f"<tr{cls}>{cells}</tr>")
    total = len(frame) if total is None else total
    shown = min(len(frame), max_rows)
    more = f'<p class="jf-note">仅显示前{shown}行，共{total}行。</p>' if total > shown else ""
    return (
        f'<div class="jf-table-wrap"><table class="jf-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>{more}"
    )


def messages_html(messages: list[str], title: str = "") -> str:
    """An escaped numbered list of problems, e.g. import errors."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
    heading = f"<b>{html.escape(title)}</b>" if title else ""
    return f'{heading}<ol class="jf-errors">{items}</ol>'


def note_html(text: str) -> str:
    """A short escaped note under a table (e.g. who a total leaves out)."""
    return f'<p class="jf-note">{html.escape(text)}</p>' if text else ""
