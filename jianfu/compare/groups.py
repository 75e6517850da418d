"""Units combined into one: who is in the group, what it is called, how it is said.

A group that holds a parent and its own subordinates (示例县 with 示例县城关镇 and
示例县青山镇) counts the towns twice when the county's figures already include
them. Each unit records whether its figures are 本级 (its own) or 含下级 (with its
subordinates'); such a sum is refused for 含下级, made and said for 本级, and made,
said and asked about when nothing is recorded (counted as 本级).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..errors import JianfuError
from ..store.schema import OWN_LEVEL, WITH_SUBORDINATES
from .grids import descendants

MAX_NAMED = 3  # members named in a group's default name
NUMERALS = dict(enumerate("零一两三四五六七八九十"))
# how members of one level are counted in running text: 两镇, 三个街道
LEVEL_WORDS = {"乡镇": "镇", "县": "县", "区": "区", "市": "市", "村": "村"}
COUNTED_WORDS = {"街道": "街道", "社区": "社区", "部门": "部门", "局": "局", "派出所": "派出所"}


@dataclass(frozen=True)
class Overlap:
    """A parent in a group together with some of its own subordinates."""

    parent: str
    below: tuple[str, ...]
    scope: str  # 本级, 含下级, or "" when not stated (counted as 本级)


def overlaps(members: Sequence[str], hierarchy: pd.DataFrame | None) -> list[Overlap]:
    """Every member that has other members below it (children, grandchildren, …).

    Each member's chain of parents is walked once, so 2,000 units stay quick.
    """
    if hierarchy is None or hierarchy.empty:
        return []
    chosen = list(dict.fromkeys(members))
    picked = set(chosen)
    parent_of = _parents(hierarchy)
    below: dict[str, list[str]] = {}
    for unit in chosen:
        for up in _ancestors(unit, parent_of):
            if up in picked:
                below.setdefault(up, []).append(unit)
    scopes = dict(zip(hierarchy["name"], _scopes(hierarchy), strict=True))
    return [Overlap(u, tuple(below[u]), scopes.get(u, "")) for u in chosen if u in below]


def check_overlaps(found: Sequence[Overlap]) -> None:
    """Refuse a sum that would count subordinates twice (the parent's figures include them)."""
    for o in found:
        if o.scope == WITH_SUBORDINATES:
            raise JianfuError(
                f"{o.parent}的数据含下级单位，不能再与其下级单位{'、'.join(o.below)}相加"
                f"（会重复计算）：请只选{o.parent}，或只汇总其下级单位"
            )


def overlap_note(found: Sequence[Overlap]) -> str:
    """What a reader must know about a sum mixing a parent and its subordinates ("" if none)."""
    parts = []
    for o in found:
        below = "、".join(o.below)
        if o.scope == OWN_LEVEL:
            parts.append(
                f"汇总中既有{o.parent}（本级数据），又有其下级单位{below}，为本级与下级之和"
            )
        else:
            parts.append(
                f"汇总中既有{o.parent}，又有其下级单位{below}；{o.parent}未注明数据是否含下级，"
                "按本级数据相加（如已含下级，则下级被重复计算）"
            )
    return "；".join(parts)


def default_group_name(members: Sequence[str], hierarchy: pd.DataFrame | None = None) -> str:
    """A name that says who is in the group: 示例县（下级合计）, 甲镇、乙镇汇总, 甲镇等5个单位汇总."""
    chosen = list(dict.fromkeys(members))
    if not chosen:
        return "汇总"
    if hierarchy is not None and not hierarchy.empty:
        for parent in _ancestors(chosen[0], _parents(hierarchy)):  # only these can hold them all
            leaves = set(descendants(hierarchy, parent, leaves_only=True))
            if set(chosen) in (leaves, set(descendants(hierarchy, parent))):
                return f"{parent}（下级合计）"
    if len(chosen) <= MAX_NAMED:
        return f"{'、'.join(chosen)}汇总"
    return f"{chosen[0]}等{len(chosen)}个单位汇总"


def members_phrase(members: Sequence[str], hierarchy: pd.DataFrame | None = None) -> str:
    """The members counted in running text: 两镇, 三个街道, 4个单位."""
    chosen = list(dict.fromkeys(members))
    n = len(chosen)
    levels = set()
    if hierarchy is not None and not hierarchy.empty:
        level_of = dict(zip(hierarchy["name"], hierarchy["level"], strict=True))
        levels = {level_of.get(u) for u in chosen}
    level = levels.pop() if len(levels) == 1 else None
    count = NUMERALS.get(n, str(n))
    if level in LEVEL_WORDS and n <= 10:
        return f"{count}{LEVEL_WORDS[level]}"
    word = COUNTED_WORDS.get(level, "单位")
    return f"{count}个{word}" if n <= 10 else f"{n}个{word}"


def _parents(hierarchy: pd.DataFrame) -> dict[str, str]:
    return {
        str(n): str(p)
        for n, p in zip(hierarchy["name"], hierarchy["parent"], strict=True)
        if isinstance(p, str) and p and p != n
    }


def _ancestors(unit: str, parent_of: dict[str, str]) -> list[str]:
    """The unit's parent, grandparent, …; a cycle in bad data stops the walk."""
    found, seen, up = [], {unit}, parent_of.get(unit)
    while up and up not in seen:
        found.append(up)
        seen.add(up)
        up = parent_of.get(up)
    return found


def _scopes(hierarchy: pd.DataFrame) -> list[str]:
    if "scope" not in hierarchy.columns:
        return [""] * len(hierarchy)
    return [s if isinstance(s, str) else "" for s in hierarchy["scope"]]
