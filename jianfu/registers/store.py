"""Register rows in the workbook's database (SQLite or PostgreSQL, one code path).

Every write is one transaction: an import either adds all its new rows or none.
A row that repeats one already registered (same 文号, or same date and title, as
the kind's ``duplicates`` say) is refused with the row it repeats named.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine

from ..db import make_engine, writing
from ..paths import default_db_url
from ..text.names import squash
from ..versions import open_part
from . import schema
from .kinds import kind_named, load_kinds
from .migrate import migrate
from .model import RegisterError, RegisterKind
from .values import Values, plain, row_values

R, L = schema.rows, schema.links


@dataclass(frozen=True)
class Row:
    """One registered item: its id (cited as 台账第N号), kind code, unit, date and values."""

    id: int
    kind: str
    unit: str
    day: date
    values: Values
    source: str = ""


@dataclass(frozen=True)
class Added:
    """What an add or import did: the new rows' ids and the repeats, each said with the
    fields it shares; ``held`` are the repeats left out, as (place, raw row), so the user
    can still register them after seeing them; ``kept``: the repeats were registered."""

    ids: tuple[int, ...]
    repeats: tuple[str, ...] = ()
    held: tuple[tuple[str, Mapping[str, object]], ...] = ()
    kept: bool = False

    def summary(self) -> str:
        text = f"已登记{len(self.ids)}条"
        if not self.repeats:
            return text
        if self.kept:
            return text + f"（其中{len(self.repeats)}条与已登记的重复，按要求仍然登记）"
        return text + f"，{len(self.repeats)}条与已登记的重复，未再登记"


class RegisterStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None, kinds=None):
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        self.kinds: dict[str, RegisterKind] = kinds or load_kinds()
        open_part(self.engine, schema.metadata, migrate)

    def kind(self, name: str) -> RegisterKind:
        return kind_named(self.kinds, name)

    # ---- writing --------------------------------------------------------
    def add(
        self, kind: str, unit: str, raw: Mapping[str, object], *, source: str = "表单录入",
        allow_repeat: bool = False,
    ) -> Added:  # fmt: skip
        """Check and store one row; a repeat is refused unless ``allow_repeat``."""
        return self.add_many(
            kind, unit, [raw], source=source, allow_repeat=allow_repeat, places=[""]
        )

    def add_many(
        self, kind: str, unit: str, raws: Iterable[Mapping[str, object]], *, source: str = "",
        allow_repeat: bool = False, places: list[str] | None = None, skip_repeats: bool = False,
    ) -> Added:  # fmt: skip
        """Check every row first (all problems at once, each at ``places[i]``), then write all.

        Repeats (of stored rows or of earlier rows in ``raws``) are refused, or left
        out and listed with ``skip_repeats`` (an import of an overlapping export), or
        registered and listed with ``allow_repeat``.
        """
        k, unit = self.kind(kind), _unit(unit)
        rows = list(raws)
        places = places if places is not None else [f"第{n + 1}条" for n in range(len(rows))]
        checked, problems = [], []
        for place, raw in zip(places, rows, strict=True):
            values, found = row_values(k, raw)
            problems += [f"{place}：{p}" if place else p for p in found]
            checked.append(values)
        if problems:
            raise RegisterError(problems)
        seen = {
            key: f"已登记的第{r.id}号" for r in self.rows(k.name, unit) for key in keys(k, r.values)
        }
        keep, repeats, held = [], [], []
        for place, raw, values in zip(places, rows, checked, strict=True):
            again = [key for key in keys(k, values) if key in seen]
            if again:
                said = _said(k, values, again[0][0])
                repeats.append(f"{place or '这条记录'}与{seen[again[0]]}重复（{said}）")
                if not allow_repeat:
                    held.append((place, raw))
                    continue
            seen.update({key: place for key in keys(k, values)})
            keep.append(values)
        if held and not skip_repeats:
            raise RegisterError(repeats + ["如确属不同事项，请修改后再登记，或选择仍然登记"])
        ids = self._insert(k, unit, keep, source)
        return Added(ids, tuple(repeats), tuple(held), kept=allow_repeat and bool(repeats))

    def update(self, row_id: int, raw: Mapping[str, object], *, allow_repeat: bool = False) -> Row:
        """Replace a row's values (checked as when added; its own values are no repeat)."""
        old = self.row(row_id)
        k = self.kind(old.kind)
        values, problems = row_values(k, raw)
        if problems:
            raise RegisterError([f"第{row_id}号：{p}" for p in problems])
        others = {key: r.id for r in self.rows(k.name, old.unit) if r.id != row_id
                  for key in keys(k, r.values)}  # fmt: skip
        again = [key for key in keys(k, values) if key in others]
        if again and not allow_repeat:
            said = _said(k, values, again[0][0])
            raise RegisterError(f"第{row_id}号与已登记的第{others[again[0]]}号重复（{said}）")
        with writing(self.engine) as conn:
            conn.execute(
                R.update().where(R.c.id == row_id).values(
                    day=values["date"], data=json.dumps(plain(values), ensure_ascii=False),
                    updated_at=datetime.now(UTC),
                )
            )  # fmt: skip
        return self.row(row_id)

    def delete(self, row_id: int) -> None:
        with writing(self.engine) as conn:
            if not conn.execute(delete(R).where(R.c.id == row_id)).rowcount:
                raise RegisterError(f"没有第{row_id}号台账记录")

    def _insert(self, k: RegisterKind, unit: str, rows: list[Values], source: str) -> tuple:
        now = datetime.now(UTC)
        ids = []
        with writing(self.engine) as conn:
            for values in rows:
                data = json.dumps(plain(values), ensure_ascii=False)
                new = conn.execute(R.insert().values(
                    kind=k.code, unit=unit, day=values["date"], data=data, source=source,
                    updated_at=now,
                ))  # fmt: skip
                ids.append(new.inserted_primary_key[0])
        return tuple(ids)

    # ---- reading --------------------------------------------------------
    def rows(
        self, kind: str | None = None, unit: str | None = None,
        start: date | None = None, end: date | None = None,
    ) -> list[Row]:  # fmt: skip
        """Rows by date then id; ``start`` and ``end`` are both inclusive."""
        q = select(R).order_by(R.c.day, R.c.id)
        if kind:
            q = q.where(R.c.kind == self.kind(kind).code)
        if unit:
            q = q.where(R.c.unit == _unit(unit))
        if start:
            q = q.where(R.c.day >= start)
        if end:
            q = q.where(R.c.day <= end)
        with self.engine.connect() as conn:
            return [self._row(r) for r in conn.execute(q)]

    def row(self, row_id: int) -> Row:
        with self.engine.connect() as conn:
            found = conn.execute(select(R).where(R.c.id == row_id)).first()
        if found is None:
            raise RegisterError(f"没有第{row_id}号台账记录")
        return self._row(found)

    def units(self) -> list[str]:
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(R.c.unit).distinct()).scalars())

    def _row(self, r) -> Row:
        values = json.loads(r.data)
        for code in self._date_fields.get(r.kind, ()):
            if isinstance(values.get(code), str):
                values[code] = date.fromisoformat(values[code])
        return Row(r.id, r.kind, r.unit, r.day, values, r.source)

    @cached_property
    def _date_fields(self) -> dict[str, tuple[str, ...]]:
        """kind code -> its date fields, whose JSON text is read back as dates."""
        return {
            k.code: tuple(f.code for f in k.fields if f.type == "date") for k in self.kinds.values()
        }

    # ---- links from store values back to rows ----------------------------
    def save_links(self, unit: str, period: str, found: Mapping[str, tuple[float, tuple]]) -> None:
        """Record, for each indicator written, the value and the rows it was counted from."""
        now = datetime.now(UTC)
        with writing(self.engine) as conn:
            for code, (value, ids) in found.items():
                conn.execute(delete(L).where(
                    (L.c.unit == unit) & (L.c.period == period) & (L.c.indicator == code)
                ))  # fmt: skip
                conn.execute(L.insert().values(
                    unit=unit, period=period, indicator=code, value=float(value),
                    row_ids=json.dumps(list(ids)), written_at=now,
                ))  # fmt: skip

    def links(self, unit: str, period: str) -> dict[str, tuple[float, tuple[int, ...]]]:
        """indicator -> (value written, row ids) for what was written from the registers."""
        q = select(L).where((L.c.unit == unit) & (L.c.period == period))
        with self.engine.connect() as conn:
            return {r.indicator: (r.value, tuple(json.loads(r.row_ids))) for r in conn.execute(q)}


def keys(k: RegisterKind, values: Values) -> list[tuple]:
    """The row's duplicate keys: one per ``duplicates`` group whose fields are all filled."""
    out = []
    for n, group in enumerate(k.duplicates):
        parts = [values.get(code) for code in group]
        if all(p not in (None, "") for p in parts):
            out.append((n, *(squash(p) if isinstance(p, str) else p for p in parts)))
    return out


def _said(k: RegisterKind, values: Values, group: int) -> str:
    """The fields of duplicates group ``group`` that two rows share: 文号“…”."""
    codes = k.duplicates[group]
    return "，".join(f"{k.field(c).label}{_text(values.get(c))}" for c in codes)


def _text(value: object) -> str:
    return f"“{value.isoformat() if isinstance(value, date) else value}”"


def _unit(unit: str) -> str:
    from ..text.names import clean_unit

    name = clean_unit(unit)
    if not name:
        raise RegisterError("请填写单位")
    return name
