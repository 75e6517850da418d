"""问题线索 as evidence for 存在的主要问题: the counts of this year's verified clues.

One sentence (“今年以来收到问题线索37条，经核实属实或部分属实21条，其中督检考方面9条”)
with its basis: the dates counted, how many of each finding, merged duplicates
not counted. Nothing at all when no clue of the year was found true: a count of
unverified reports is not evidence of a problem.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from ..db import make_engine
from ..paths import default_db_url
from ..speech.sources import SurveyFinding
from . import schema
from .counts import counted, within
from .model import PARTLY, TRUE, Clue, ClueError
from .store import ClueStore

TOPIC = "基层反映的问题线索"


def clue_findings(clues: Sequence[Clue], today: date) -> list[SurveyFinding]:
    """The year's counts as one finding, tied to the area with the most verified clues."""
    since = date(today.year, 1, 1)
    year = counted(within(clues, since, today))
    verified = [c for c in year if c.verified]
    if not verified:
        return []
    per_area = Counter(c.category for c in verified)
    top = max(per_area.values())
    leading = [a for a, n in per_area.items() if n == top]
    text = f"今年以来收到问题线索{len(year)}条，经核实属实或部分属实{len(verified)}条"
    if len(per_area) == 1:
        text += f"，{'均' if len(verified) > 1 else ''}为{leading[0]}方面"  # 均 wants several
    else:
        areas = "、".join(leading)
        text += f"，其中{areas}方面{'各' if len(leading) > 1 else ''}{top}条"
    true = sum(c.finding == TRUE for c in verified)
    partly = sum(c.finding == PARTLY for c in verified)
    basis = (
        f"问题线索台账：{since.isoformat()}至{today.isoformat()}受理{len(year)}条"
        f"（合并的重复线索不计），核实属实{true}条、部分属实{partly}条；"
        + "、".join(f"{a}{n}条" for a, n in per_area.most_common())
    )
    category = leading[0] if len(leading) == 1 else ""
    return [SurveyFinding(text, category, TOPIC, basis, kind="clue")]


def clue_findings_for_draft(
    db_url: str | None, engine: Engine | None = None, today: date | None = None
) -> list[SurveyFinding]:
    """The clue evidence of the workbook's database ([] when there is none or it cannot be read)."""
    engine_ = engine or make_engine(db_url or default_db_url())
    if not inspect(engine_).has_table(schema.clues.name):
        if engine is None:
            engine_.dispose()
        return []  # no clue was ever received: the draft page creates no tables
    try:
        store = ClueStore(engine=engine_)
    except ClueError:
        return []
    try:
        return clue_findings(store.clues(), today or date.today())
    finally:
        if engine is None:
            store.engine.dispose()


def draft_evidence(
    db_url: str | None, unit: str | None = None, engine: Engine | None = None
) -> list[SurveyFinding]:
    """What a draft's 存在的主要问题 may rest on besides the comparison: 自评, 问题线索, 台账."""
    from ..assess.handoff import findings_for_draft
    from ..registers.evidence import register_findings_for_draft

    engine_ = engine or make_engine(db_url or default_db_url())
    try:
        return [
            *findings_for_draft(db_url, unit, engine=engine),
            *clue_findings_for_draft(db_url, engine),
            *register_findings_for_draft(db_url, unit, engine_),
        ]
    finally:
        if engine is None:
            engine_.dispose()
