"""问题线索 in the workbook's database (SQLite or PostgreSQL, one code path).

The public page writes through :meth:`ClueStore.submit` and reads through
:meth:`ClueStore.status`; the office's board uses the rest. Only SQLAlchemy is
imported (the public server's process uses this module). Every write is one
short transaction (jianfu.db.writing).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import MetaData, Table, func, inspect, select, update
from sqlalchemy.engine import Engine

from ..db import make_engine, writing
from ..paths import default_db_url
from ..versions import open_part
from . import codes, schema
from .migrate import migrate
from .model import (
    CLOSED,
    FINDINGS,
    PENDING,
    Clue,
    ClueError,
    Event,
    PublicStatus,
    Report,
)
from .text import long_text, note_text, one_line
from .triage import check_step

C, E, S = schema.clues, schema.events, schema.supervisors
UNITS_TABLE = "units"  # jianfu.store.schema.units (tests/test_clues_store.py checks)


class ClueStore:
    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        open_part(self.engine, schema.metadata, migrate)

    # ---- the public page ----------------------------------------------------
    def submit(self, report: Report, supervisor_code: str = "", today: date | None = None) -> str:
        """Store a report; return its 查询码 (shown once, kept only as a digest).

        An unknown or withdrawn supervisor code files an ordinary report, silently.
        """
        today = today or date.today()
        with writing(self.engine) as conn:
            supervisor = None
            sup_digest = codes.digest(supervisor_code, "supervisor")
            if sup_digest:
                supervisor = conn.execute(
                    select(S.c.id).where(S.c.code_digest == sup_digest, S.c.active.is_(True))
                ).scalar()
            code = codes.new_code()
            conn.execute(
                C.insert().values(
                    code_digest=codes.digest(code, "lookup"),
                    received_on=today,
                    category=report.category,
                    imposed_by=report.imposed_by,
                    what=report.what,
                    happened=report.when,
                    how_often=report.how_often,
                    hours=report.hours,
                    contact=report.contact,
                    supervisor_id=supervisor,
                    status=PENDING,
                    finding="",
                    referred_to="",
                    measures="",
                    reply="",
                )
            )
        return code

    def status(self, code: str) -> PublicStatus | None:
        """What the holder of ``code`` may read; None for any code that is not one."""
        key = codes.digest(code, "lookup")
        if not key:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(C.c.received_on, C.c.merged_into, C.c.id).where(C.c.code_digest == key)
            ).first()
            if row is None:
                return None
            target = self._survivor(conn, row.id)
            shown = conn.execute(
                select(C.c.status, C.c.reply, C.c.replied_on).where(C.c.id == target)
            ).one()
        return PublicStatus(row.received_on, shown.status, shown.reply, shown.replied_on)

    # ---- the board ------------------------------------------------------------
    def clues(
        self,
        status: str = "",
        category: str = "",
        imposed_by: str = "",
        since: date | None = None,
        until: date | None = None,
        supervisor: int | None = None,
        merged: bool = False,
    ) -> list[Clue]:
        """Clues matching every filter given, newest first (merged duplicates only if asked)."""
        query = select(C, S.c.number).outerjoin(S, S.c.id == C.c.supervisor_id)
        if status:
            query = query.where(C.c.status == status)
        if category:
            query = query.where(C.c.category == category)
        if imposed_by:
            query = query.where(C.c.imposed_by.contains(imposed_by, autoescape=True))
        if since:
            query = query.where(C.c.received_on >= since)
        if until:
            query = query.where(C.c.received_on <= until)
        if supervisor is not None:
            query = query.where(S.c.number == supervisor)
        if not merged:
            query = query.where(C.c.merged_into.is_(None))
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(C.c.received_on.desc(), C.c.id.desc())).all()
        return [_clue(row) for row in rows]

    def clue(self, clue_id: int) -> Clue:
        query = select(C, S.c.number).outerjoin(S, S.c.id == C.c.supervisor_id)
        with self.engine.connect() as conn:
            row = conn.execute(query.where(C.c.id == clue_id)).first()
        if row is None:
            raise ClueError(f"没有编号为 {clue_id} 的线索")
        return _clue(row)

    def events(self, clue_id: int) -> list[Event]:
        query = select(E).where(E.c.clue_id == clue_id).order_by(E.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [Event(r.clue_id, r.day, r.from_status, r.to_status, r.note) for r in rows]

    def change_status(
        self,
        clue_id: int,
        after: str,
        note: str,
        referred_to: str = "",
        today: date | None = None,
    ) -> Clue:
        """Move a clue one step (see jianfu.clues.triage), recording the note and the date."""
        note, referred_to = note_text(note), one_line(referred_to)
        with writing(self.engine) as conn:
            before = self._open(conn, clue_id).status
            check_step(before, after, note, referred_to)
            values: dict[str, object] = {"status": after}
            if after in FINDINGS:
                values["finding"] = after
            elif after == PENDING:
                values["finding"] = ""
            if referred_to:
                values["referred_to"] = referred_to
            conn.execute(update(C).where(C.c.id == clue_id).values(**values))
            self._event(conn, clue_id, before, after, note, today)
        return self.clue(clue_id)

    def set_reply(self, clue_id: int, reply: str, today: date | None = None) -> Clue:
        """The office's answer, readable by the reporter through the 查询码."""
        with writing(self.engine) as conn:
            self._open(conn, clue_id, closed_ok=True)
            text = note_text(reply)
            conn.execute(
                update(C)
                .where(C.c.id == clue_id)
                .values(reply=text, replied_on=(today or date.today()) if text else None)
            )
        return self.clue(clue_id)

    def set_measures(self, clue_id: int, measures: str) -> Clue:
        """What was done about it, as the 通报 will say (no names of reporters)."""
        with writing(self.engine) as conn:
            self._open(conn, clue_id, closed_ok=True)
            conn.execute(
                update(C).where(C.c.id == clue_id).values(measures=long_text(measures, 500))
            )
        return self.clue(clue_id)

    def merge(self, duplicate: int, into: int, note: str = "", today: date | None = None) -> None:
        """File ``duplicate`` under ``into``: its reporter then reads ``into``'s status and reply."""
        if duplicate == into:
            raise ClueError("不能把线索合并到它自己")
        with writing(self.engine) as conn:
            self._open(conn, duplicate, closed_ok=True)
            target = self._open(conn, into, closed_ok=True)
            if target.merged_into is not None:
                raise ClueError(f"线索 {into} 已合并到线索 {target.merged_into}，请合并到后者")
            # clues merged into the duplicate follow it to the survivor
            conn.execute(update(C).where(C.c.merged_into == duplicate).values(merged_into=into))
            conn.execute(update(C).where(C.c.id == duplicate).values(merged_into=into))
            said = note_text(note)
            self._event(
                conn, duplicate, "", "", f"合并到线索{into}" + (f"：{said}" if said else ""), today
            )
            self._event(conn, into, "", "", f"线索{duplicate}合并到本条", today)

    def unit_names(self) -> list[str]:
        """The units entered in the workbook (the reporter may pick one), if any.

        The table is reflected, not imported from jianfu.store: that package loads
        pandas, a second and a hundred MB the public server's process does not need.
        """
        if not inspect(self.engine).has_table(UNITS_TABLE):
            return []
        with self.engine.connect() as conn:
            units = Table(UNITS_TABLE, MetaData(), autoload_with=conn)
            return list(conn.execute(select(units.c.name).order_by(units.c.name)).scalars())

    # ---- supervisors ------------------------------------------------------------
    def issue_supervisor(self, today: date | None = None) -> tuple[int, str]:
        """A new 监督员 code (shown once) and the supervisor's number on the board."""
        code = codes.new_code()
        with writing(self.engine) as conn:
            number = (conn.execute(select(func.max(S.c.number))).scalar() or 0) + 1
            conn.execute(
                S.insert().values(
                    number=number,
                    code_digest=codes.digest(code, "supervisor"),
                    issued_on=today or date.today(),
                    active=True,
                )
            )
        return number, code

    def withdraw_supervisor(self, number: int) -> None:
        with writing(self.engine) as conn:
            conn.execute(update(S).where(S.c.number == number).values(active=False))

    def supervisors(self) -> list[tuple[int, date, bool]]:
        """(number, issued on, still active) of every supervisor code issued."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(S.c.number, S.c.issued_on, S.c.active).order_by(S.c.number))
            return [tuple(r) for r in rows]

    # ---- helpers ------------------------------------------------------------------
    def _open(self, conn, clue_id: int, closed_ok: bool = False):
        row = conn.execute(select(C).where(C.c.id == clue_id)).first()
        if row is None:
            raise ClueError(f"没有编号为 {clue_id} 的线索")
        if row.merged_into is not None and not closed_ok:
            raise ClueError(f"线索 {clue_id} 已合并到线索 {row.merged_into}，请处理后者")
        if row.status == CLOSED and not closed_ok:
            raise ClueError(f"线索 {clue_id} 已办结")
        return row

    def _survivor(self, conn, clue_id: int) -> int:
        seen = set()
        while clue_id not in seen:
            seen.add(clue_id)
            nxt = conn.execute(select(C.c.merged_into).where(C.c.id == clue_id)).scalar()
            if nxt is None:
                return clue_id
            clue_id = nxt
        return clue_id

    def _event(self, conn, clue_id, before, after, note, today) -> None:
        conn.execute(
            E.insert().values(
                clue_id=clue_id,
                day=today or date.today(),
                from_status=before,
                to_status=after,
                note=note,
            )
        )


def _clue(row) -> Clue:
    return Clue(
        id=row.id,
        received_on=row.received_on,
        category=row.category,
        imposed_by=row.imposed_by,
        what=row.what,
        when=row.happened,
        how_often=row.how_often,
        hours=row.hours,
        contact=row.contact,
        supervisor=row.number,
        status=row.status,
        finding=row.finding,
        referred_to=row.referred_to,
        measures=row.measures,
        reply=row.reply,
        replied_on=row.replied_on,
        merged_into=row.merged_into,
    )
