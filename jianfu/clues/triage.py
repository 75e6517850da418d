"""Which status may follow which: 待核实 → 核实属实 / 部分属实 / 不属实 → 已转办 → 已整改 / 已办结.

A verification may be corrected (back to 待核实) until the clue is referred; a
clue found untrue can only be closed. 已办结 is final.
"""

from __future__ import annotations

from .model import (
    CLOSED,
    PARTLY,
    PENDING,
    RECTIFIED,
    REFERRED,
    TRUE,
    UNTRUE,
    ClueError,
)

NEXT: dict[str, tuple[str, ...]] = {
    PENDING: (TRUE, PARTLY, UNTRUE),
    TRUE: (REFERRED, RECTIFIED, CLOSED, PENDING),
    PARTLY: (REFERRED, RECTIFIED, CLOSED, PENDING),
    UNTRUE: (CLOSED, PENDING),
    REFERRED: (RECTIFIED, CLOSED),
    RECTIFIED: (CLOSED,),
    CLOSED: (),
}


def allowed(status: str) -> tuple[str, ...]:
    return NEXT.get(status, ())


def check_step(before: str, after: str, note: str, referred_to: str) -> None:
    """Refuse a step the flow does not have, a step without a note, 已转办 without to whom."""
    if after not in allowed(before):
        can = "、".join(allowed(before)) or "无（已办结）"
        raise ClueError(f"状态“{before}”不能改为“{after}”；可改为：{can}")
    if not note:
        raise ClueError("请填写处理说明（每次改变状态都要写明依据）")
    if after == REFERRED and not referred_to:
        raise ClueError("转办时请写明转给哪个单位或部门")
