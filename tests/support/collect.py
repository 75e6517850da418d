"""Filling a round's templates as a unit would, in openpyxl (for the 填报任务 tests);
the fixtures ``collect`` (four towns under 示例县 with 2024年 values) and ``rnd`` (a
yearly round over them), loaded for every test module by tests/conftest.py."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

CODES = ["doc_count", "meeting_count", "inspection_items"]
UNITS = ["甲镇", "乙镇", "丙镇", "丁镇"]


def seed_units(store, parent: str = "示例县"):
    store.add_unit(parent, "县")
    for name in UNITS:
        store.add_unit(name, "乡镇", parent)
    store.add_period("2024年")
    import pandas as pd

    rows = [(u, "2024年", c, 10.0 * (n + 1)) for n, u in enumerate(UNITS) for c in CODES]
    store.save_observations(pd.DataFrame(rows, columns=["unit", "period", "indicator", "value"]))


@pytest.fixture
def collect(store):
    from jianfu.collect.rounds import Collect

    seed_units(store)
    return Collect(store)


@pytest.fixture
def rnd(collect):
    return collect.new_round("2025年度监测", "2025年", collect.children("示例县"), CODES)


def filled(template: bytes, values: list, note: str | None = None) -> bytes:
    """The template with 数值 (column E) filled row by row; None leaves a cell blank."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb["填报"]
    for row, value in enumerate(values, start=2):
        ws.cell(row=row, column=5, value=value)
    if note:
        ws.cell(row=2, column=8, value=note)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def put(folder: Path, name: str, data: bytes, mtime: float | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path
