"""Importing a register exported from another system (.xlsx or .csv).

The same reading rules as the data importer (jianfu.dataio.readers): title rows and
a 填报单位 line above the header are skipped, the header is the row naming most of
the kind's columns (so the group row of a two-level header is passed over), dates
are read as Excel shows them. Columns are matched by the kind's labels and aliases;
other columns (序号, 备注…) are left out and said so. Either every row is good and
all new rows are registered, or nothing is and every problem is listed with its
row and column; rows already registered are left out and listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from ..dataio.readers import read_table
from ..dataio.sheets import is_blank
from .model import RegisterError, RegisterKind
from .store import Added, RegisterStore
from .values import fold


@dataclass(frozen=True)
class Imported:
    added: Added
    ignored: tuple[str, ...]  # columns not belonging to the kind

    def summary(self) -> str:
        text = self.added.summary()
        if self.ignored:
            text += f"；未导入的列：{'、'.join(self.ignored)}"
        return text


def header_names(kind: RegisterKind) -> dict[str, str]:
    """Header text (folded) -> field code, for every label and alias."""
    return {fold(n): f.code for f in kind.fields for n in (f.label, *f.aliases)}


def import_register(
    registers: RegisterStore, data: bytes, filename: str, kind: str, unit: str,
    sheet: str | None = None,
) -> Imported:  # fmt: skip
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
    added = registers.add_many(
        k.name, unit, raws, source=f"导入：{name}", places=places, skip_repeats=True
    )
    return Imported(added, ignored)
