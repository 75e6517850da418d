"""Percent columns: is 0.926 a fraction typed for 92.6%, or 0.926%? Ask, never guess.

A cell that carries its own % sign, or a percent format in Excel (the reader hands
it over as “92.6%”), says what it means and is never part of the question. Among
the other cells of one indicator, 0 means 0 either way; if every other value lies
within 0–1 (1 included: 100% or 1%?) the question is asked once for the column and
its answer applies to all of them; values above 1 beside them are mixed evidence,
refused with the cells named.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ..catalog import Catalog
from ..catalog.values import rule_for
from ..numbers.format import fraction_as_percent, plain
from ..text.names import cell_text, squash
from .rules import say

PERCENT, AS_IS = "percent", "as_is"  # answers to a fraction question


def signed(raw: pd.Series) -> pd.Series:
    """Cells typed with a % sign (or read from a percent-formatted cell)."""
    return raw.map(lambda v: isinstance(v, str) and squash(v).endswith("%")).astype(bool)


def fractions(
    cells: pd.DataFrame,
    use: pd.Series,
    catalog: Catalog,
    answers: Mapping[str, str],
    notes: list[str],
    check,
) -> tuple[dict[str, str], pd.Series]:
    """(questions per indicator code, cells refused as mixed evidence).

    Answered "percent", the doubtful values of ``cells`` (rows in ``use``) are
    multiplied by 100 in place and the conversion is said in ``notes``.
    """
    questions: dict[str, str] = {}
    mixed = pd.Series(False, index=cells.index)
    percent = {i.code for i in catalog if rule_for(i.kind).percent}
    candidates = cells[use & cells["indicator"].isin(percent)]
    candidates = candidates[~signed(candidates["raw"]).to_numpy()]
    for code, group in candidates.groupby("indicator", sort=False):
        ind = catalog[code]
        small = group[(group["value"] > 0) & (group["value"] <= 1)]
        big = group[group["value"] > 1]
        if small.empty:
            continue
        if not big.empty:
            _refuse(small, big.iloc[0], check)
            mixed[small.index] = True
            continue
        example = plain(small["value"].iloc[0])
        percent = plain(fraction_as_percent(float(small["value"].iloc[0])))
        answer = answers.get(code)
        if answer == PERCENT:
            cells.loc[small.index, "value"] = fraction_as_percent(small["value"])
            fields = dict(name=ind.name, count=len(small), example=example, percent=percent)
            notes.append(say("fraction_converted", **fields))
        elif answer != AS_IS:
            row = int(small["row"].iloc[0])
            fields = dict(name=ind.name, count=len(small), row=row, example=example)
            questions[code] = say("fraction", percent=percent, **fields)
    return questions, mixed


def _refuse(small: pd.DataFrame, big, check) -> None:
    for row, column, raw in small[["row", "column", "raw"]].itertuples(index=False):
        fields = dict(row=int(big["row"]), big=cell_text(big["raw"]), small=cell_text(raw))
        check.add(say("fraction_mixed", **fields), int(row), column)
