"""Merge suggestions: meetings of the same kind for the same audience held close together.

Two such meetings within ``window`` days (data/registers/limits.yaml) could have been
one (“建议合并召开”); a chain of them (3月2日, 3月5日, 3月9日) is one suggestion listing
every meeting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..numbers.format import plain
from .limits import load_limits
from .store import Row

NOT_MERGED = ("其他",)  # kinds too loose to say two meetings were alike


@dataclass(frozen=True)
class Suggestion:
    unit: str
    row_ids: tuple[int, ...]
    text: str


def merge_suggestions(rows: Iterable[Row], window: float | None = None) -> list[Suggestion]:
    """``window``: days between two meetings; the limits file's by default."""
    if window is None:
        window = load_limits().merge_window_days.number
    groups: dict[tuple, list[Row]] = {}
    for r in rows:
        kind, audience = r.values.get("kind"), r.values.get("audience")
        if r.kind != "meetings" or not audience or kind in NOT_MERGED:
            continue
        groups.setdefault((r.unit, kind, audience), []).append(r)
    out = []
    for (unit, kind, audience), found in groups.items():
        found.sort(key=lambda r: (r.day, r.id))
        chain = [found[0]]
        for r in found[1:]:
            if (r.day - chain[-1].day).days <= window:
                chain.append(r)
                continue
            out += _suggest(unit, kind, audience, chain, window)
            chain = [r]
        out += _suggest(unit, kind, audience, chain, window)
    return sorted(out, key=lambda s: s.row_ids)


def _suggest(unit, kind, audience, chain: list[Row], window: int) -> list[Suggestion]:
    if len(chain) < 2:
        return []
    listed = "、".join(
        f"{r.day.month}月{r.day.day}日“{r.values.get('name')}”（第{r.id}号）" for r in chain
    )
    days = (chain[-1].day - chain[0].day).days
    text = (
        f"{listed}同为{kind}、参会层级均为{audience}，{days}天内召开{len(chain)}次"
        f"（相邻两次相隔不超过{plain(window)}天），建议合并召开或套开"
    )
    return [Suggestion(unit, tuple(r.id for r in chain), text)]
