"""Importing a register exported from another system (.xlsx or .csv).

The same reading rules as the data importer (jianfu.dataio.readers): title rows and
a 填报单位 line above the header are skipped, the header is the row naming most of
the kind's columns (so the group row of a two-level header is passed over), dates
are read as Excel shows them. Columns are matched by the kind's labels and aliases;
other columns (序号, 备注…) are left out and said so. Either every row is good and
all new rows are registered, or nothing is and every problem is listed with its
row and column; rows already registered are left out and listed, and registered
after all when the user asks (``keep_repeats``, or :func:`register_repeats` once seen).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

from ..dataio.readers import read_table
from ..dataio.sheets import is_blank
from .model import RegisterError, RegisterKind
from .store import Added, RegisterStore
from .values import Values, fold, plain, row_values


@dataclass(frozen=True)
class Imported:
    added: Added
    ignored: tuple[str, ...]  # columns not belonging to the kind
    kind: str = ""
    unit: str = ""
    source: str = ""
    again: tuple[str, ...] = ()  # rows this file brought in before (with keep_repeats)

    def summary(self) -> str:
        text = self.added.summary()
        if self.again:
            text += f"；{len(self.again)}条本文件以前已导入，未再登记"
        if self.ignored:
            text += f"；未导入的列：{'、'.join(self.ignored)}"
        return text


def header_names(kind: RegisterKind) -> dict[str, str]:
    """Header text (folded) -> field code, for every label and alias."""
    return {fold(n): f.code for f in kind.fields for n in (f.label, *f.aliases)}


def import_register(
    registers: RegisterStore, data: bytes, filename: str, kind: str, unit: str,
    sheet: str | None = None, keep_repeats: bool = False,
) -> Imported:  # fmt: skip
    """Register the file's rows; repeats are left out and listed unless ``keep_repeats``."""
    k = registers.kind(kind)
    names = header_names(k)
    name = PurePath(filename or "").name or "上传的文件"
    frame = read_table(
        data, name, sheet=sheet, header_score=lambda values: sum(fold(v) in names for v in values)
    )
    where = f"文件“{name}”" + (
        f"工作表“{frame.attrs['sheet']}”" if frame.attrs.get("sheet") else ""
    )
    columns = {c: names[fold(c)] for c in frame.columns if fold(c) in names}
    ignored = tuple(c for c in frame.columns if c not in columns)
    missing = [f.label for f in k.fields if f.required and f.code not in columns.values()]
    if missing:
        raise RegisterError(
            f"{where}第{frame.attrs.get('header_row')}行（表头）缺少列：{'、'.join(missing)}"
        )
    raws, places = [], []
    for row_no, cells in frame.iterrows():
        raw = {c: cells[c] for c in columns}
        if all(is_blank(v) for v in raw.values()):
            continue
        raws.append(raw)
        places.append(f"{where}第{row_no}行")
    if not raws:
        raise RegisterError(f"{where}表头下没有数据行")
    source = f"导入：{name}"
    again: list[str] = []
    if keep_repeats:
        raws, places, again = _new_to_this_file(registers, k, unit, source, raws, places)
    added = registers.add_many(k.name, unit, raws, source=source, places=places,
                               skip_repeats=True, allow_repeat=keep_repeats)  # fmt: skip
    return Imported(added, ignored, k.name, unit, source, tuple(again))


def _new_to_this_file(registers, k: RegisterKind, unit: str, source: str, raws, places):
    """Rows not brought in by an earlier import of this file, and the places of those that
    were: importing again with keep_repeats registers the repeats, not the file twice.
    Each stored row accounts for one identical row of the file."""
    unit_rows = registers.rows(k.name, unit)
    before = Counter(_same(r.values) for r in unit_rows if r.source == source)
    kept_raws, kept_places, again = [], [], []
    for raw, place in zip(raws, places, strict=True):
        values, problems = row_values(k, raw)
        key = None if problems else _same(values)
        if key is not None and before[key] > 0:
            before[key] -= 1
            again.append(place)
            continue
        kept_raws.append(raw)
        kept_places.append(place)
    return kept_raws, kept_places, again


def _same(values: Values) -> str:
    return json.dumps(plain(values), ensure_ascii=False, sort_keys=True)


def register_repeats(registers: RegisterStore, imported: Imported) -> Added:
    """Register the repeats an import left out, after the user has seen them."""
    if not imported.added.held:
        raise RegisterError("没有未登记的重复记录")
    places = [place for place, _ in imported.added.held]
    raws = [raw for _, raw in imported.added.held]
    return registers.add_many(imported.kind, imported.unit, raws, source=imported.source,
                              places=places, allow_repeat=True)  # fmt: skip
