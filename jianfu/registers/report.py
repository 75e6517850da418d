"""Derived figures and warnings as lines and plain records, for the CLI and the page."""

from __future__ import annotations

from datetime import date

from ..numbers.format import plain
from ..store import Store
from .derive import Figure
from .merging import merge_suggestions
from .pace import pace
from .store import RegisterStore
from .warnings import row_warnings


def figure_lines(figures: list[Figure]) -> list[str]:
    """“发文数量（有文号的文件）：12件（台账第1、2…号）”, one per figure."""
    return [f"{f.label}：{_value(f)}{f.measure}（{_rows(f.row_ids)}）" for f in figures]


def _value(f: Figure) -> str:
    return plain(round(f.value, 1)) if f.measure in ("字", "分钟") else plain(f.value)


def _rows(ids: tuple[int, ...], shown: int = 8) -> str:
    if not ids:
        return "无记录"
    listed = "、".join(map(str, ids[:shown])) + ("等" if len(ids) > shown else "")
    return f"台账第{listed}号，共{len(ids)}条"


def all_warnings(
    registers: RegisterStore, store: Store, unit: str | None, as_of: date
) -> list[dict]:
    """Row warnings, pace and merge suggestions of this year up to ``as_of``, as records."""
    units = [unit] if unit else registers.units()
    out: list[dict] = []
    for u in units:
        rows = registers.rows(unit=u, start=date(as_of.year, 1, 1), end=as_of)
        out += [_record(u, w.title, w.text, w.row_ids, w.kind) for w in row_warnings(rows)]
        for p in pace(registers, store, u, as_of):
            if p.over:
                out.append(_record(u, "进度预警", p.text, p.row_ids, "pace"))
        for s in merge_suggestions(rows):
            out.append(_record(u, "建议合并", s.text, s.row_ids, "merge"))
    return out


def _record(unit: str, title: str, text: str, row_ids, kind: str) -> dict:
    return {"unit": unit, "kind": kind, "title": title, "text": text, "rows": list(row_ids)}
