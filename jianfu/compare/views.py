"""The engine's output as people read it: page tables, the CLI's text, Excel and JSON.

One label table (:data:`LABELS`) names the columns everywhere, so the page and the
command line use the same words; the base and comparison periods are named by
their own labels (2023年, 2024年). Every figure is formatted at its row's
precision, so a change shown beside two values equals their displayed difference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..catalog.directions import COMPARED, COUNTED, mark, tone
from ..numbers.format import MISSING, POINTS, fmt_signed, fmt_value, is_missing, round_values
from ..text.width import display_width
from .rollups import labelled

LABELS = {
    "unit": "单位",
    "category": "类别",
    "name": "指标",
    "measure": "计量单位",
    "change": "变化",
    "pct_change": "变化率",
    "pp_change": "变化（个百分点）",
    "verdict": "判断",
    "warnings": "预警",
    "level": "级别",
    "source": "出处",
    "missing": "缺少数据的时期",
    "trend": "趋势",
}
RATE_KINDS = ("ratio", "percent")


def period_labels(table: pd.DataFrame) -> tuple[str, str]:
    """Headers for the two value columns: the periods' own names."""
    return table.attrs.get("before") or "基期", table.attrs.get("after") or "比较期"


def table_view(table: pd.DataFrame) -> pd.DataFrame:
    """The compared rows as the user reads them: Chinese headers, formatted figures.

    Rows not compared (基期无数据, 比较期无数据) are left to :func:`not_compared_view`.
    """
    before, after = period_labels(table)
    columns = ["unit", "category", "name", before, after, "change", "pct_change", "verdict"]
    rows = []
    for row in table[table["verdict"].isin(COMPARED)].itertuples(index=False):
        d = int(row.decimals)
        rate = row.kind in RATE_KINDS  # moves in points: no percentage of a percentage
        rows.append(
            [
                row.unit,
                row.category,
                labelled(row.name, row._asdict()),
                fmt_value(row.before, row.measure, d, fixed=True),
                fmt_value(row.after, row.measure, d, fixed=True),
                fmt_signed(row.change, POINTS if rate else row.measure, d, fixed=True),
                MISSING if rate else fmt_signed(row.pct_change, "%"),
                row.verdict,
                "；".join(w["message"] for w in row.warnings),
            ]
        )
    headers = [LABELS.get(c, c) for c in columns] + [LABELS["warnings"]]
    return pd.DataFrame(rows, columns=headers)


def not_compared_view(table: pd.DataFrame) -> pd.DataFrame:
    """Rows with a value in one period only: listed apart, never judged as a rise or fall."""
    before, after = period_labels(table)
    rows = [
        [
            row.unit,
            labelled(row.name, row._asdict()),
            fmt_value(row.before, row.measure, int(row.decimals), fixed=True),
            fmt_value(row.after, row.measure, int(row.decimals), fixed=True),
            row.verdict,
        ]
        for row in table[~table["verdict"].isin(COMPARED)].itertuples(index=False)
    ]
    headers = [LABELS["unit"], LABELS["name"], before, after, LABELS["verdict"]]
    return pd.DataFrame(rows, columns=headers)


def export_view(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison for Excel: figures stay numbers, rounded as shown, periods as headers."""
    before, after = period_labels(table)
    rate = table["kind"].isin(RATE_KINDS).to_numpy()

    def numbers(column: str, keep=None) -> list[float | None]:
        keep = [True] * len(table) if keep is None else keep
        return [
            None if is_missing(v) or not k else float(v)
            for v, k in zip(table[column], keep, strict=True)
        ]

    return pd.DataFrame(
        {
            LABELS["unit"]: table["unit"],
            LABELS["category"]: table["category"],
            LABELS["name"]: [
                labelled(n, r) for n, r in zip(table["name"], _rows(table), strict=True)
            ],
            LABELS["measure"]: table["measure"],
            before: numbers("before"),
            after: numbers("after"),
            # one unit per column: a rate's change only in points, in its own column
            LABELS["change"]: numbers("change", ~rate),
            f"{LABELS['pct_change']}（%）": [
                None if is_missing(v) or r else float(v)
                for v, r in zip(round_values(table["pct_change"]), rate, strict=True)
            ],
            LABELS["pp_change"]: numbers("pp_change"),
            LABELS["verdict"]: table["verdict"],
            LABELS["warnings"]: ["；".join(w["message"] for w in ws) for ws in table["warnings"]],
        }
    )


def _rows(table: pd.DataFrame) -> list[dict]:
    """The roll-up columns of each row (absent in hand-made tables)."""
    keys = [k for k in ("rollup", "rollup_label") if k in table.columns]
    return table[keys].to_dict("records") if keys else [{}] * len(table)


def warnings_frame(table: pd.DataFrame) -> pd.DataFrame:
    """One row per warning, with its level and source, for the 预警 list."""
    keys = ("unit", "name", "level", "warnings", "source")
    fired = table["warnings"].map(len).to_numpy() > 0  # most rows have none
    rows = [
        [unit, name, w["level"], w["message"], w["source"]]
        for unit, name, warnings in zip(
            table["unit"].to_numpy()[fired],
            table["name"].to_numpy()[fired],
            table["warnings"].to_numpy()[fired],
            strict=True,
        )
        for w in warnings
    ]
    return pd.DataFrame(rows, columns=[LABELS[k] for k in keys])


def trend_view(table: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Values over a run of periods side by side, with the trend module's verdict."""
    rows = []
    for row in table.itertuples(index=False):
        d = int(row.decimals)
        values = [fmt_value(v, row.measure, d, fixed=True) for v in row.values]
        verdict = row.verdict
        if row.first_break and str(verdict).startswith("未实现"):
            verdict = f"{verdict}（{row.first_break}）"
        rows.append([row.unit, labelled(row.name, row._asdict()), *values, verdict])
    headers = [LABELS["unit"], LABELS["name"], *periods, LABELS["trend"]]
    return pd.DataFrame(rows, columns=headers)


def left_out_view(table: pd.DataFrame) -> pd.DataFrame:
    """For a combined unit: each unit and indicator not counted, with the missing periods."""
    rows = [[r["unit"], r["name"], r["missing"]] for r in table.attrs.get("left_out") or []]
    return pd.DataFrame(rows, columns=[LABELS["unit"], LABELS["name"], LABELS["missing"]])


# ---------------------------------------------------------------- headline

HEADLINE_ITEMS = 3  # big numbers per unit
HEADLINE_UNITS = 4  # units given big numbers


def headline(table: pd.DataFrame, items: int = HEADLINE_ITEMS) -> list[dict]:
    """Big numbers for the presentation view, per unit (the first :data:`HEADLINE_UNITS`).

    Each unit gets the first compared indicator of each of its first ``items``
    categories, in catalog order (发文数量, 会议数量, 督检考事项数 for a full
    table), formatted as the tables are, and how many indicators improved,
    worsened or stayed flat. Returns dicts with ``unit``, ``items`` (``name``,
    ``before``, ``after``, ``change``, ``verdict``) and ``counts``.
    """
    out = []
    first_units = pd.unique(table["unit"])[:HEADLINE_UNITS]
    compared = table[table["verdict"].isin(COMPARED) & table["unit"].isin(first_units)]
    compared.attrs = {}  # grouping copies attrs into every group
    for unit, rows in compared.groupby("unit", sort=False):
        firsts = rows.drop_duplicates("category").head(items)
        out.append(
            {
                "unit": unit,
                "items": [_big_number(r) for r in firsts.itertuples(index=False)],
                "counts": {v: int((rows["verdict"] == v).sum()) for v in COUNTED},
            }
        )
    return out


def trend_headline(table: pd.DataFrame, items: int = HEADLINE_ITEMS) -> list[dict]:
    """Big numbers for a run of periods: values side by side and the trend verdict."""
    out = []
    periods = list(table.attrs.get("periods") or [])
    table = table[table["unit"].isin(pd.unique(table["unit"])[:HEADLINE_UNITS])]
    table.attrs = {}
    for unit, rows in table.groupby("unit", sort=False):
        shown = []
        for row in rows.head(items).itertuples(index=False):
            d = int(row.decimals)
            values = [
                fmt_value(v, row.measure, d, fixed=True) for v in row.values if not is_missing(v)
            ]
            verdict = str(row.verdict)
            if row.first_break and verdict.startswith("未实现"):
                verdict = f"{verdict}（{row.first_break}）"
            shown.append(
                {"name": labelled(row.name, row._asdict()), "values": values, "verdict": verdict}
            )
        out.append({"unit": unit, "items": shown, "periods": periods})
    return out


def _big_number(row) -> dict:
    """One card: the change as the table says it, the arrow of its sign, the verdict's tone."""
    d = int(row.decimals)
    if row.kind in RATE_KINDS:
        change = fmt_signed(row.change, POINTS, d, fixed=True)
    elif is_missing(row.pct_change):  # a zero base (新增): the amount, never a percentage
        change = fmt_signed(row.change, row.measure, d, fixed=True)
    else:
        change = fmt_signed(row.pct_change, "%")
    return {
        "name": labelled(row.name, row._asdict()),
        "before": fmt_value(row.before, row.measure, d, fixed=True),
        "after": fmt_value(row.after, row.measure, d, fixed=True),
        "change": change,
        "verdict": row.verdict,
        "mark": mark(row.verdict, row.change),
        "tone": tone(row.verdict, row.direction),
    }


# ---------------------------------------------------------------- text and JSON


def format_table(frame: pd.DataFrame) -> str:
    """Any view above as plain text, columns aligned for a terminal (CJK = 2 cells)."""
    lines = [[str(c) for c in frame.columns]]
    lines += [[str(v) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(display_width(line[c]) for line in lines) for c in range(len(lines[0]))]
    return "\n".join(
        "  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


RECORD_KEYS = (
    "unit", "indicator", "name", "short", "measure", "direction", "kind",
    "before", "after", "change", "pct_change", "pp_change", "decimals", "verdict", "warnings",
    "rollup", "rollup_label",
)  # fmt: skip
_NUMBERS = ("before", "after", "change", "pct_change", "pp_change")


def compare_records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of a compare table: plain Python values, None for NaN."""
    records = []
    for row in table.loc[:, list(RECORD_KEYS)].itertuples(index=False):
        record = {}
        for key, value in zip(RECORD_KEYS, row, strict=True):
            if key == "warnings":
                record[key] = [dict(w) for w in value]
            elif key in _NUMBERS:
                record[key] = None if is_missing(value) else float(value)
            elif key == "decimals":
                record[key] = int(value)
            else:
                record[key] = str(value)
        records.append(record)
    return records


def trend_records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready rows of a trend table (None for missing values), periods included."""
    periods = list(table.attrs.get("periods", []))
    records = []
    for row in table.to_dict("records"):
        row["values"] = [_plain(v) for v in row["values"]]
        row["changes"] = [_plain(v) for v in row["changes"]]
        row["decimals"] = int(row["decimals"])
        row["first_break"] = row["first_break"] if isinstance(row["first_break"], str) else None
        row["periods"] = periods
        records.append(row)
    return records


def _plain(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)
