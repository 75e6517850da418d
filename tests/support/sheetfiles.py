"""Spreadsheets built inside the tests (no binary fixtures): xlsx workbooks and CSV text."""

from __future__ import annotations

import csv as stdcsv
import io

import openpyxl
import pytest

from jianfu.catalog import load_catalog
from jianfu.dataio.importer import import_file
from jianfu.errors import ValidationError

CATALOG = load_catalog()


def xlsx(*sheets, build=None) -> bytes:
    """sheets: (title, rows); ``build(wb)`` may add merges, formats, hidden rows or states."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    if build:
        build(wb)
    return save(wb)


def save(wb: openpyxl.Workbook) -> bytes:
    """The .xlsx bytes of a workbook built by hand."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\n".join(lines).encode(encoding)


def csv_rows(rows: list[list], encoding: str = "utf-8") -> bytes:
    """CSV bytes of `rows`, quoted as the csv module quotes."""
    buffer = io.StringIO()
    stdcsv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def values(result) -> dict[tuple[str, str, str], float]:
    obs = result.observations
    return {
        (u, p, i): v
        for u, p, i, v in obs[["unit", "period", "indicator", "value"]].itertuples(index=False)
    }


def problems(data: bytes, name: str = "表.xlsx", catalog=CATALOG, **options) -> list[str]:
    with pytest.raises(ValidationError) as info:
        import_file(data, name, catalog, **options)
    return [str(p) for p in info.value.problems]
