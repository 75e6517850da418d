"""What a unit's registers show against the rules, as evidence for a draft's 存在的主要问题.

One finding per area (文件, 会议, 督检考) with warnings in the unit's latest register
year (up to today): the counts of each kind of warning, and as basis the rows
(台账第N号) behind them, so the writer can open the register and check. Nothing
when the unit has no rows or no warnings: a register without breaches is no problem.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from ..speech.sources import SurveyFinding
from . import schema
from .limits import duration, load_limits
from .merging import merge_suggestions
from .model import RegisterError
from .store import RegisterStore
from .warnings import meeting_limit, row_warnings

AREAS = {  # kind code -> (area, register name, warning kind -> how it is counted)
    "documents": ("文件", "发文登记簿", {
        "long_document": "超过规定字数的文件{n}件",
        "memo": "无文号而篇幅与正式文件相当的下发材料{n}件",  # no 、: items are joined by 、
        "unplanned": "计划外发文{n}件",
    }),
    "meetings": ("会议", "会议台账", {
        "long_speech": "主讲话超过{speech}的会议{n}次",
        "long_meeting": "超过{meeting}的会议{n}次",
        "both_leaders": "党政主要负责同志都讲话的会议{n}次",
        "escort": "安排陪会的会议{n}次",
        "unplanned": "计划外会议{n}次",
    }),
    "inspections": ("督检考", "督检考备案", {
        "traces": "要求留痕材料的事项{n}项",
        "unplanned": "计划外事项{n}项",
    }),
}  # fmt: skip


def register_findings(registers: RegisterStore, unit: str, today: date) -> list[SurveyFinding]:
    rows = registers.rows(unit=unit, end=today)
    if not rows:
        return []
    year = max(r.day.year for r in rows)
    rows = [r for r in rows if r.day.year == year]
    when = "今年以来" if year == today.year else f"{year}年"
    limits = load_limits()
    said_limits = {
        "speech": duration(limits.speech_minutes.number),
        "meeting": meeting_limit(limits),
    }
    out = []
    for code, (area, book, said) in AREAS.items():
        mine = [r for r in rows if r.kind == code]
        found = [w for w in row_warnings(mine, limits) if w.kind in said]
        merges = merge_suggestions(mine) if code == "meetings" else []
        if not found and not merges:
            continue
        counts = Counter(w.kind for w in found)
        parts = [said[k].format(n=counts[k], **said_limits) for k in said if counts[k]]
        if merges:
            parts.append(f"可合并召开的会议{len(merges)}组")
        ids = sorted({i for w in found for i in w.row_ids} | {i for m in merges for i in m.row_ids})
        text = f"据{book}，{when}有{'、'.join(parts)}"
        basis = f"{unit}{book}（{year}年）：台账第{'、'.join(map(str, ids))}号"
        topic = f"{area}方面仍有超出规定的情况" if found else f"{area}方面仍有精简空间"
        out.append(SurveyFinding(text, area, topic, basis, kind="register"))
    return out


def register_findings_for_draft(
    db_url: str | None, unit: str | None, engine: Engine, today: date | None = None
) -> list[SurveyFinding]:
    """The register evidence of the unit ([] without a unit, a register table or rows)."""
    if not unit or not inspect(engine).has_table(schema.rows.name):
        return []  # the draft page creates no tables
    try:
        registers = RegisterStore(db_url, engine=engine)
    except RegisterError:
        return []
    return register_findings(registers, unit, today or date.today())
