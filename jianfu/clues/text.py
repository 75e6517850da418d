"""A reporter's form, cleaned by the one text module and capped, or a Chinese message."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..text.characters import clean_name, clean_text
from .model import (
    CATEGORIES,
    FREQUENCIES,
    MAX_HOURS,
    MAX_NOTE,
    MAX_SHORT,
    MAX_WHAT,
    ClueError,
    Report,
)


def one_line(value: object, limit: int = MAX_SHORT) -> str:
    return clean_name(value)[:limit]


def long_text(value: object, limit: int = MAX_WHAT) -> str:
    """Multi-line text: cleaned, blank lines squeezed, capped at ``limit`` characters."""
    lines = [line.strip() for line in clean_text(value).replace("\r", "\n").split("\n")]
    text = "\n".join(line for line in lines if line)
    return text[:limit]


def note_text(value: object) -> str:
    return long_text(value, MAX_NOTE)


def hours_of(value: object) -> float | None:
    """Hours it cost: blank is None; anything not a number from 0 to MAX_HOURS is refused."""
    text = one_line(value, 20).replace("小时", "")
    if not text:
        return None
    try:
        hours = float(text)
    except ValueError:
        raise ClueError("“花费时间”请填写小时数，如 3 或 1.5") from None
    if not math.isfinite(hours) or hours < 0 or hours > MAX_HOURS:
        raise ClueError(f"“花费时间”请填写 0 到 {MAX_HOURS:g} 之间的小时数")
    return round(hours, 1)


def report_from(form: Mapping[str, object]) -> Report:
    """The reporter's fields as stored; a missing category or account is said plainly."""
    category = one_line(form.get("category"))
    if category not in CATEGORIES:
        raise ClueError("请选择问题类别")
    what = long_text(form.get("what"))
    if len(what) < 5:
        raise ClueError("请写明发生了什么（至少5个字）")
    how_often = one_line(form.get("how_often"))
    wants_contact = str(form.get("contact_ok") or "") in ("1", "on", "true", "True")
    return Report(
        category=category,
        imposed_by=one_line(form.get("imposed_by")),
        what=what,
        when=one_line(form.get("when"), 20),
        how_often=how_often if how_often in FREQUENCIES else "",
        hours=hours_of(form.get("hours")),
        contact=one_line(form.get("contact")) if wants_contact else "",
    )
