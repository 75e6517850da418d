"""Counting clues: by category, by the unit that imposed the burden, by month.

Merged duplicates are not counted (they are one problem), and 核实属实 counts
both 核实属实 and 部分属实 findings, whatever the status has moved on to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import CATEGORIES, Clue

UNSTATED = "（未写明）"


@dataclass(frozen=True)
class Tally:
    received: int
    verified: int


def counted(clues: Iterable[Clue]) -> list[Clue]:
    return [c for c in clues if c.merged_into is None]


def tallies(clues: Iterable[Clue], key) -> dict[str, Tally]:
    """received and verified per ``key(clue)``, largest first (ties: by name)."""
    received, verified = Counter(), Counter()
    for clue in counted(clues):
        name = key(clue)
        received[name] += 1
        verified[name] += clue.verified
    order = sorted(received, key=lambda n: (-received[n], _rank(n)))
    return {n: Tally(received[n], verified[n]) for n in order}


def by_category(clues: Iterable[Clue]) -> dict[str, Tally]:
    return tallies(clues, lambda c: c.category)


def by_unit(clues: Iterable[Clue]) -> dict[str, Tally]:
    return tallies(clues, lambda c: c.imposed_by or UNSTATED)


def by_supervisor(clues: Iterable[Clue]) -> dict[str, Tally]:
    """Per supervisor number (监督员N); reports without a supervisor code are not listed."""
    return tallies([c for c in clues if c.supervisor], lambda c: f"监督员{c.supervisor}")


def by_month(clues: Iterable[Clue]) -> dict[str, Tally]:
    """Per month received (“2026年11月”), in time order."""
    found = tallies(clues, lambda c: f"{c.received_on.year}年{c.received_on.month:02d}月")
    return dict(sorted(found.items()))


def within(clues: Iterable[Clue], since: date | None, until: date | None) -> list[Clue]:
    return [
        c
        for c in clues
        if (since is None or c.received_on >= since) and (until is None or c.received_on <= until)
    ]


def _rank(name: str) -> tuple[int, str]:
    return (CATEGORIES.index(name) if name in CATEGORIES else len(CATEGORIES), name)
