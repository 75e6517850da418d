"""What a 问题线索 holds, and the limits every entry path applies.

The categories are the catalog's burden areas (what the office already measures)
plus areas reporters name that the catalog has no indicator for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..catalog.model import CATEGORIES as CATALOG_CATEGORIES
from ..errors import JianfuError

NOT_MEASURED = ("属地/权责", "创建示范", "其他")
# the catalog's areas that are burdens (关爱赋能 and 成效 are not something one reports)
CATEGORIES = tuple(c for c in CATALOG_CATEGORIES if c not in ("关爱赋能", "成效")) + NOT_MEASURED
FREQUENCIES = ("一次", "每周", "每月", "每季度", "多次不定期", "长期持续")

MAX_WHAT = 2000  # characters of the account of what happened
MAX_SHORT = 60  # one-line fields: the unit concerned, when, contact, to whom
MAX_NOTE = 500  # a triage note or the reply
MAX_HOURS = 10000.0

PENDING = "待核实"
TRUE, PARTLY, UNTRUE = "核实属实", "部分属实", "不属实"
REFERRED = "已转办"
RECTIFIED = "已整改"
CLOSED = "已办结"
STATUSES = (PENDING, TRUE, PARTLY, UNTRUE, REFERRED, RECTIFIED, CLOSED)
FINDINGS = (TRUE, PARTLY, UNTRUE)  # what verification found; kept when the status moves on
VERIFIED = (TRUE, PARTLY)  # counted as 核实属实 in drafts and 通报


class ClueError(JianfuError):
    """A report or a triage step that cannot be taken, said in Chinese for the user."""


@dataclass(frozen=True)
class Report:
    """What a reporter sends (already cleaned and capped by :func:`.text.report_from`)."""

    category: str
    imposed_by: str
    what: str
    when: str = ""
    how_often: str = ""
    hours: float | None = None
    contact: str = ""  # only when the reporter ticked 可联系我


@dataclass(frozen=True)
class Clue:
    """One clue as the office's board shows it (no code, no reporter)."""

    id: int
    received_on: date
    category: str
    imposed_by: str
    what: str
    when: str
    how_often: str
    hours: float | None
    contact: str
    supervisor: int | None  # the supervisor's number (监督员1), never their code
    status: str
    finding: str  # 核实属实 / 部分属实 / 不属实, or "" before verification
    referred_to: str
    measures: str  # what was done about it (for the 通报)
    reply: str
    replied_on: date | None
    merged_into: int | None

    @property
    def verified(self) -> bool:
        return self.finding in VERIFIED


@dataclass(frozen=True)
class Event:
    """One status change, with its note and date."""

    clue_id: int
    day: date
    before: str
    after: str
    note: str


@dataclass(frozen=True)
class PublicStatus:
    """What a reporter sees through their 查询码: the status and the office's reply only."""

    received_on: date
    status: str
    reply: str
    replied_on: date | None
