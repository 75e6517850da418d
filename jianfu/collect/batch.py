"""Importing a batch of returned files into a round: match, validate, then save per file.

:func:`plan` reads every file first (nothing is written): each gets its unit (the
template's mark, else the file's 单位 cells), is validated by the importer's own
rules and checked against the round; of two files for one unit the user's choice or
the newer one is used, and when neither tells, none (:mod:`.duplicates`).
The stored values each accepted file would replace are read at the same time, so
:func:`apply` saves each file in its own transaction with the concurrency check
the forms use: a value someone changed in between makes that file a 冲突, and
the others are still saved. A re-sent file replaces the unit's round values:
what its previous file gave and this one leaves blank is cleared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select

from ..dataio.importer import import_file
from ..db import writing
from ..errors import JianfuError, ValidationError
from ..store.labels import id_map
from ..store.observations import ConflictError, checked, write
from ..store.schema import units
from ..text.names import clean_unit
from ..text.periods import clean_period
from . import schema
from .duplicates import resolve
from .incoming import Incoming
from .model import Round
from .outcomes import (
    ASK,
    CONFLICT,
    DUPLICATE,
    IMPORTED,
    OTHER,
    REFUSED,
    STATUSES,
    BatchReport,
    FileOutcome,
)
from .rounds import Collect
from .templates import read_mark

__all__ = [*STATUSES, "BatchReport", "FileOutcome", "apply", "choose", "import_files", "plan"]


def plan(
    collect: Collect, rnd: Round, files: Sequence[Incoming], use: Iterable[str] = ()
) -> BatchReport:
    """Read and check every file; nothing is written. ``use``: see :func:`choose`."""
    catalog = collect.store.catalog()
    outcomes = [_read(collect, rnd, catalog, f) for f in files]
    _expectations(collect, rnd, [o for o in outcomes if o.status == IMPORTED])
    return choose(collect, BatchReport(rnd.name, outcomes), use)


def choose(collect: Collect, report: BatchReport, use: Iterable[str] = ()) -> BatchReport:
    """The plan again with the user's pick among files for one unit (file names in ``use``);
    a unit whose newer file cannot be told and is not picked gets nothing (待选择).
    What a picked file replaces was read with the plan, so the concurrency check holds."""
    names = {ind.code: ind.name for ind in collect.store.catalog()}
    outcomes = [
        replace(o, status=IMPORTED, messages=o.notes, asks=())
        if o.frame is not None and o.status in (DUPLICATE, ASK)
        else replace(o)
        for o in report.outcomes
    ]
    resolve(outcomes, use, names)
    return BatchReport(report.round, outcomes)


def apply(collect: Collect, rnd: Round, report: BatchReport) -> BatchReport:
    """Save each accepted file in its own transaction; returns the final report."""
    store = collect.store
    catalog = store.catalog()
    known = (store.unit_names(), store.periods())  # a round's units and period exist already
    done = []
    for outcome in report.outcomes:
        if outcome.status != IMPORTED:
            done.append(outcome)
            continue
        try:
            done.append(_save(store, rnd, catalog, known, outcome))
        except ConflictError as exc:
            done.append(replace(outcome, status=CONFLICT, messages=(str(exc),), counts={}))
        except JianfuError as exc:
            done.append(replace(outcome, status=REFUSED, messages=_messages(exc), counts={}))
    return BatchReport(report.round, done)


def import_files(
    collect: Collect, rnd: Round, files: Sequence[Incoming], use: Iterable[str] = ()
) -> BatchReport:
    return apply(collect, rnd, plan(collect, rnd, files, use))


# ---------------------------------------------------------------- reading


def _read(collect: Collect, rnd: Round, catalog, incoming: Incoming) -> FileOutcome:
    out = FileOutcome(incoming.name, REFUSED, modified=incoming.modified)
    mark = read_mark(incoming.data)
    marked_unit = None
    if mark:
        token, key = mark
        if token != rnd.token:
            other = collect.round_by_token(token)
            where = f"填报任务“{other.name}”" if other else "其他填报任务"
            return replace(out, status=OTHER, messages=(f"这是{where}的表格，不属于本任务",))
        marked_unit = rnd.unit_of_key(key) if key else None
        if key and marked_unit is None:
            return replace(out, status=OTHER, messages=("表格所属单位已不在本任务的填报单位中",))
    try:
        result = import_file(incoming.data, incoming.name, catalog)
    except JianfuError as exc:
        return replace(out, messages=_messages(exc))
    obs = result.observations
    problem = _against_round(rnd, obs, marked_unit)
    if problem:
        status, text = problem
        return replace(out, status=status, messages=(text,))
    found = tuple(dict.fromkeys(obs["unit"]))
    notes = tuple(result.notes)
    return replace(out, status=IMPORTED, units=found, frame=obs, messages=notes, notes=notes)


def _against_round(rnd: Round, obs: pd.DataFrame, marked: str | None):
    """(status, message) when the file's content does not belong where it says."""
    periods = sorted(set(obs["period"]))
    if periods != [clean_period(rnd.period)]:
        shown = "、".join(f"“{p}”" for p in periods)
        return OTHER, f"文件中的时期是{shown}，本任务是“{rnd.period}”"
    members = {clean_unit(u): u for u in rnd.unit_names()}
    found = list(dict.fromkeys(obs["unit"]))
    if marked is not None and found != [clean_unit(marked)]:
        shown = "、".join(f"“{u}”" for u in found)
        return REFUSED, f"表格是发给“{marked}”的，但其中填的单位是{shown}，请核实"
    outside = [u for u in found if u not in members]
    if outside:
        shown = "、".join(f"“{u}”" for u in outside)
        return OTHER, f"单位{shown}不在本任务的填报单位中"
    extra = sorted(set(obs["indicator"]) - set(rnd.indicators))
    if extra:
        return REFUSED, f"文件含本任务以外的指标（{'、'.join(extra)}），请使用本任务的模板"
    obs["unit"] = obs["unit"].map(members)
    return None


def _expectations(collect: Collect, rnd: Round, accepted: list[FileOutcome]) -> None:
    """What each accepted file replaces: stored values as read now, and what to clear."""
    if not accepted:
        return
    names = [u for o in accepted for u in o.units]
    stored = collect.store.observations(names, [rnd.period])
    stored = stored[stored["indicator"].isin(rnd.indicators)]
    given_before = _last_given(collect, rnd)
    for o in accepted:
        mine = stored[stored["unit"].isin(o.units)]
        now = {(r.unit, r.period, r.indicator): r.value for r in mine.itertuples(index=False)}
        new_keys = {(r.unit, r.period, r.indicator) for r in o.frame.itertuples(index=False)}
        before = {(u, rnd.period, c) for u in o.units for c in given_before.get(u, ())}
        o.clear = tuple(sorted(k for k in before - new_keys if k in now))
        o.expected = {k: now.get(k, math.nan) for k in new_keys | set(o.clear)}


def _last_given(collect: Collect, rnd: Round) -> dict[str, list[str]]:
    """Per unit, the indicators its latest accepted file gave."""
    sub = schema.submissions
    query = (
        select(units.c.name, sub.c.indicators)
        .join(units, units.c.id == sub.c.unit_id)
        .where(sub.c.round_id == rnd.id)
        .order_by(sub.c.id)
    )
    with collect.store.engine.connect() as conn:
        return {name: text.split(",") for name, text in conn.execute(query)}


# ---------------------------------------------------------------- saving


def _save(store, rnd: Round, catalog, known, o: FileOutcome) -> FileOutcome:
    frame = checked(o.frame.copy(), o.file, catalog, *known)
    now = datetime.now(UTC).replace(microsecond=0)
    with writing(store.engine) as conn:
        result = write(conn, frame, o.clear, o.expected, catalog)
        ids = id_map(conn, units)
        rows = [
            {"round_id": rnd.id, "unit_id": ids[unit], "file": o.file, "received_at": now,
             "indicators": ",".join(part["indicator"]), "added": result.added,
             "changed": result.changed, "unchanged": result.unchanged}
            for unit, part in frame.groupby("unit", sort=False)
        ]  # fmt: skip
        conn.execute(schema.submissions.insert(), rows)
    counts = {"新增": result.added, "修改": result.changed, "不变": result.unchanged,
              "清除": result.removed}  # fmt: skip
    return replace(o, counts=counts)


def _messages(exc: JianfuError) -> tuple[str, ...]:
    if isinstance(exc, ValidationError):
        return tuple(str(p) for p in exc.problems)
    return (str(exc),)
