"""What a collection round is, as the page, the CLI and the templates see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RoundUnit:
    name: str
    key: str  # written into the unit's template beside the round's token


@dataclass(frozen=True)
class Round:
    """A 填报任务: the same indicators asked of every unit for one period."""

    id: int
    token: str
    name: str
    period: str
    indicators: tuple[str, ...]  # codes, in the order the templates show them
    units: tuple[RoundUnit, ...]
    group: str = ""
    due: date | None = None
    notes: str = ""

    def unit_names(self) -> list[str]:
        return [u.name for u in self.units]

    def unit_of_key(self, key: str) -> str | None:
        return next((u.name for u in self.units if u.key == key), None)
