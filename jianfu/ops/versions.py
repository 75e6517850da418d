"""The schema versions a database holds, against the ones this program writes.

A workbook database keeps one version row per part: the data tables (``meta``),
自评 (``assess_meta``), 问题线索 (``clue_meta``), 填报任务 (``collect_meta``) and
台账 (``register_meta``). Each part's tables are created the first time the part is
used: a public 自评 server's fresh database holds 自评 alone, and is a workbook's too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..versions import VERSION_KEY

DATA_TABLE = "meta"
# version table -> what it versions, in the user's words
PARTS = {
    DATA_TABLE: "数据",
    "assess_meta": "自评",
    "clue_meta": "问题线索",
    "collect_meta": "填报任务",
    "register_meta": "台账",
}


def expected() -> dict[str, int]:
    """The version of each part this program writes (imported late: light callers)."""
    from ..assess.schema import ASSESS_SCHEMA_VERSION
    from ..clues.schema import CLUE_SCHEMA_VERSION
    from ..collect.schema import COLLECT_SCHEMA_VERSION
    from ..registers.schema import REGISTER_SCHEMA_VERSION
    from ..store.schema import SCHEMA_VERSION

    return {
        DATA_TABLE: SCHEMA_VERSION,
        "assess_meta": ASSESS_SCHEMA_VERSION,
        "clue_meta": CLUE_SCHEMA_VERSION,
        "collect_meta": COLLECT_SCHEMA_VERSION,
        "register_meta": REGISTER_SCHEMA_VERSION,
    }


def workbook_tables() -> set[str]:
    """Every table of every part (a restore drops those its backup lacks)."""
    from ..assess import schema as assess
    from ..clues import schema as clues
    from ..collect import schema as collect
    from ..registers import schema as registers
    from ..store import schema as data

    return {t for part in (data, assess, clues, collect, registers) for t in part.metadata.tables}


@dataclass(frozen=True)
class PartVersion:
    table: str
    stored: int | None  # None: the part's tables are not created yet
    current: int

    @property
    def label(self) -> str:
        return PARTS[self.table]

    @property
    def too_new(self) -> bool:
        return self.stored is not None and self.stored > self.current

    @property
    def behind(self) -> bool:
        return self.stored is not None and self.stored < self.current

    def line(self) -> str:
        if self.stored is None:
            return f"{self.label}：尚未建立（第一次使用时自动建立）"
        if self.too_new:
            return f"{self.label}：版本{self.stored}，比本程序（{self.current}）新，请先升级工作簿"
        if self.behind:
            return (
                f"{self.label}：版本{self.stored}，需升级到{self.current}"
                "（运行 jianfu upgrade，或启动服务时自动升级）"
            )
        return f"{self.label}：版本{self.stored}（当前）"


def read_versions(tables: set[str], scalar: Callable[[str], object]) -> list[PartVersion]:
    """Each part's version; ``scalar(sql)`` runs one query on the database, ``tables``
    are the tables it holds. A version table without its row counts as version 0."""
    found = []
    for table, current in expected().items():
        if table not in tables:
            found.append(PartVersion(table, None, current))
            continue
        value = scalar(f"SELECT value FROM {table} WHERE key = '{VERSION_KEY}'")
        found.append(PartVersion(table, int(value) if value else 0, current))
    return found


def is_workbook(tables: set[str], versions: list[PartVersion]) -> bool:
    """Whether these tables are a workbook's: any part with its version row.

    Not only the data part: a 自评 server started on a fresh database (a public node)
    creates 自评's tables alone, and its health check and backups must know them.
    """
    return any(v.table in tables and v.stored for v in versions)


def check_restorable(versions: list[PartVersion], what: str) -> None:
    """Refuse a backup written by a newer program: this one could not open it."""
    from .target import OpsError

    newer = [v for v in versions if v.too_new]
    if newer:
        parts = "、".join(f"{v.label}版本{v.stored}（本程序为{v.current}）" for v in newer)
        raise OpsError(f"{what}由更新的工作簿写出：{parts}；请先升级工作簿再恢复")
