"""Render DataFrames and message lists as escaped HTML for ipywidgets.HTML."""

from __future__ import annotations

import html

import pandas as pd

from jianfu.numfmt import fmt_number

TABLE_CSS = (
    "<style>"
    ".jf-table{border-collapse:collapse;font-size:15px;margin:6px 0}"
    ".jf-table th,.jf-table td{border:1px solid #d0d7de;padding:4px 10px;text-align:left;"
    "line-height:1.5;white-space:nowrap}"
    ".jf-table td:last-child{white-space:normal;min-width:12em}"
    ".jf-table th{background:#f3f6f9;font-weight:600}"
    ".jf-table td.num{text-align:right;font-variant-numeric:tabular-nums}"
    ".jf-table tr.jf-new td{background:#eaf7ee}.jf-table tr.jf-changed td{background:#fff6e0}"
    ".jf-errors{color:#a40e26;margin:4px 0 4px 1.2em;font-size:15px}"
    "</style>"
)


def cell(value: object) -> str:
    """One escaped cell text; numbers without trailing zeros, missing as —."""
    if isinstance(value, int | float) or value is None or value is pd.NA:
        return fmt_number(value)  # the one number format (half-up, no trailing zeros, — if missing)
    return html.escape(str(value))


def frame_html(frame: pd.DataFrame, max_rows: int = 200, row_class: str | None = None) -> str:
    """An HTML table; every header and cell is escaped. `row_class` names a column of CSS classes."""
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
    more = ""
    if len(frame) > max_rows:
        more = f"<p>仅显示前{max_rows}行，共{len(frame)}行。</p>"
    return f'{TABLE_CSS}<table class="jf-table"><tr>{head}</tr>{"".join(body)}</table>{more}'


def messages_html(messages: list[str], title: str = "") -> str:
    """An escaped numbered list of problems, e.g. import errors."""
    items = "".join(f"<li>{html.escape(m)}</li>" for m in messages)
    heading = f"<b>{html.escape(title)}</b>" if title else ""
    return f'{TABLE_CSS}{heading}<ol class="jf-errors">{items}</ol>'
