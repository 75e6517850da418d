"""Assessment sessions, rounds and submissions on SQLAlchemy Core (SQLite or PostgreSQL).

A participant is known by a random token kept in their browser; the database
sees only ``submission_id = sha256(token, session, round)``, unique by
constraint, so a double click, a retry or a second tab lands on the same row.
Every answer is written as it is given (an upsert, one row per question) and
may change until the session closes or a new round starts. Writes are short
transactions; on SQLite they take the write lock first (jianfu.db.writing: BEGIN
IMMEDIATE) so that a crowd of writers queues on the busy timeout instead of failing.

Only SQLAlchemy and yaml are imported: the participant page uses this module.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..db import make_engine, writing
from ..errors import JianfuError
from ..paths import default_db_url
from ..text.characters import clean_name
from ..versions import open_part
from . import schema
from .answers import SessionError, checked, checked_fields, clean_units, decoded
from .migrate import migrate, schema_version
from .questionnaire import load_questionnaire

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,31}$")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a projector
MAX_TITLE = 80

__all__ = ["AnswerSheet", "AssessStore", "Response", "Session", "SessionError", "submission_id"]


@dataclass(frozen=True)
class Session:
    code: str
    title: str
    form: str
    organiser: str
    is_open: bool
    round: int
    ask_role: bool
    units: tuple[str, ...]
    results_hidden: bool
    for_draft: bool
    created_on: date

    @property
    def ask_unit(self) -> bool:
        return bool(self.units)


@dataclass(frozen=True)
class Response:
    """One participant's submission (or draft) with its answers."""

    submission_id: str
    round: int
    unit: str | None
    role: str | None
    day: date
    submitted: bool
    comment_state: str  # schema.PENDING, SHOWN or HIDDEN
    answers: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerSheet:
    """What a participant page needs to resume: their id, answers so far, status."""

    session: Session
    submission_id: str
    answers: dict[str, object]
    unit: str | None
    role: str | None
    submitted: bool


def normalise_code(code: str) -> str:
    return (code or "").strip().lower()


def new_code(length: int = 6) -> str:
    """A random session code that is easy to read and type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def submission_id(token: str, code: str, round_: int) -> str:
    """The participant's id in one round of one session; the token never leaves the page."""
    if not TOKEN_PATTERN.match(token or ""):
        raise SessionError("页面标识无效，请刷新页面后重试")
    raw = f"{token}\x1f{normalise_code(code)}\x1f{round_}".encode()
    return hashlib.sha256(raw).hexdigest()[:40]


class AssessStore:
    """Sessions and submissions in the workbook's database (own tables)."""

    def __init__(self, url: str | None = None, engine: Engine | None = None, pooled: bool = True):
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url, pooled=pooled)
        self._sqlite = self.engine.dialect.name == "sqlite"
        open_part(self.engine, schema.metadata, migrate)

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return schema_version(conn)

    def _write(self):
        """A write transaction; on SQLite it takes the write lock first (jianfu.db.writing)."""
        return writing(self.engine)

    # ---- sessions (facilitator) --------------------------------------------
    def create_session(
        self,
        code: str,
        title: str,
        form: str = "quick",
        *,
        organiser: str = "",
        ask_role: bool = True,
        units: tuple[str, ...] | list[str] = (),
    ) -> Session:
        """A new open session in round 1; the code is what the link carries."""
        code = normalise_code(code)
        if not CODE_PATTERN.match(code):
            raise JianfuError("场次代码应为3—32位小写字母、数字或连字符，以字母或数字开头")
        title = clean_name(title)
        if not title or len(title) > MAX_TITLE:
            raise JianfuError(f"请填写场次名称（不超过{MAX_TITLE}字）")
        load_questionnaire(form)  # a broken or unknown form fails here, not with the room
        cleaned = clean_units(units)
        with self._write() as conn:
            if conn.execute(
                select(schema.sessions.c.id).where(schema.sessions.c.code == code)
            ).first():
                raise JianfuError(f"场次代码“{code}”已被使用，请换一个")
            conn.execute(
                insert(schema.sessions).values(
                    code=code,
                    title=title,
                    form=form,
                    organiser=clean_name(organiser)[:60],
                    is_open=True,
                    round=1,
                    ask_role=ask_role,
                    units="\n".join(cleaned),
                    results_hidden=False,
                    for_draft=False,
                    created_on=date.today(),
                )
            )
        return self.session(code)

    def session(self, code: str) -> Session:
        """The session with ``code``; SessionError with a participant-facing message if none."""
        found = self.find_session(code)
        if found is None:
            raise SessionError(f"没有找到场次“{normalise_code(code)}”，请核对链接或二维码")
        return found

    def find_session(self, code: str) -> Session | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                select(schema.sessions).where(schema.sessions.c.code == normalise_code(code))
            ).first()
        return _session(row) if row else None

    def sessions(self) -> list[Session]:
        """All sessions, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(schema.sessions).order_by(schema.sessions.c.id.desc()))
            return [_session(r) for r in rows]

    def set_open(self, code: str, is_open: bool) -> Session:
        return self._set(code, is_open=is_open)

    def set_results_hidden(self, code: str, hidden: bool) -> Session:
        return self._set(code, results_hidden=hidden)

    def new_round(self, code: str) -> Session:
        """Start the next round; earlier rounds stay stored and frozen."""
        session = self.session(code)
        return self._set(code, round=session.round + 1, is_open=True)

    def mark_for_draft(self, code: str) -> Session:
        """Make this session the one whose findings the drafting app receives."""
        self.session(code)
        with self._write() as conn:
            conn.execute(update(schema.sessions).values(for_draft=False))
            conn.execute(
                update(schema.sessions)
                .where(schema.sessions.c.code == normalise_code(code))
                .values(for_draft=True)
            )
        return self.session(code)

    def _set(self, code: str, **values) -> Session:
        self.session(code)
        with self._write() as conn:
            conn.execute(
                update(schema.sessions)
                .where(schema.sessions.c.code == normalise_code(code))
                .values(**values)
            )
        return self.session(code)

    # ---- participants -------------------------------------------------------
    def open_for_participant(self, code: str) -> Session:
        """The session a participant's link names, if it takes answers."""
        if not normalise_code(code):
            raise SessionError("链接中缺少场次代码，请扫描主持人提供的二维码或核对链接")
        session = self.session(code)
        if not session.is_open:
            raise SessionError(f"“{session.title}”已结束，不再接收答卷。感谢您的关注！")
        return session

    def draft(self, code: str, token: str) -> AnswerSheet:
        """Resume: the participant's answers so far in the session's current round."""
        session = self.open_for_participant(code)
        sid = submission_id(token, session.code, session.round)
        found = self.responses(session.code, round_=session.round, submitted_only=False, ids=[sid])
        if not found:
            return AnswerSheet(session, sid, {}, None, None, False)
        mine = found[0]
        return AnswerSheet(session, sid, dict(mine.answers), mine.unit, mine.role, mine.submitted)

    def closed_result(self, code: str, token: str) -> AnswerSheet | None:
        """After 结束收集: the participant's own submission, to show read-only; None if none."""
        session = self.find_session(code)
        if session is None or session.is_open:
            return None
        sid = submission_id(token, session.code, session.round)
        found = self.responses(session.code, round_=session.round, ids=[sid])
        if not found:
            return None
        mine = found[0]
        return AnswerSheet(session, sid, dict(mine.answers), mine.unit, mine.role, True)

    def save_answer(self, code: str, round_: int, sid: str, item: str, value: object) -> None:
        """Store one answer as it is given (None clears it)."""
        self.save(code, round_, sid, {item: value})

    def save(
        self,
        code: str,
        round_: int,
        sid: str,
        answers: Mapping[str, object],
        *,
        fields: Mapping[str, str | None] | None = None,
        submit: bool = False,
    ) -> None:
        """Upsert answers (and 单位/岗位类别) in one transaction; ``submit`` marks it sent.

        Idempotent: the same call twice leaves the same rows. Raises SessionError
        when the session closed or moved to another round meanwhile.
        """
        with self._write() as conn:
            row = conn.execute(
                select(schema.sessions).where(schema.sessions.c.code == normalise_code(code))
            ).first()
            if row is None:
                raise SessionError("没有找到这个场次，请核对链接")
            session = _session(row)
            if not session.is_open:
                raise SessionError("本次自评已结束，答案不能再修改。感谢您的参与！")
            if session.round != round_:
                raise SessionError("主持人已开始新一轮自评，请刷新页面参加新一轮")
            form = load_questionnaire(session.form)
            cleaned = {item: checked(form, item, value) for item, value in answers.items()}
            values = {"day": date.today()}
            if fields:
                values.update(checked_fields(session.units, form, fields))
            if submit:
                values["submitted"] = True
            pk = self._submission_row(conn, row.id, round_, sid, values)
            if form.comment and form.comment.id in cleaned:
                self._comment_edited(conn, pk, form.comment.id, cleaned[form.comment.id][1])
            for item, value in cleaned.items():
                self._answer(conn, pk, item, value)

    def _comment_edited(self, conn: Connection, pk: int, item: str, text: str | None) -> None:
        """A comment changed after its release waits for the facilitator again."""
        ans, sub = schema.answers, schema.submissions
        before = conn.execute(
            select(ans.c.text).where(ans.c.submission == pk, ans.c.item == item)
        ).scalar()
        if before != text:
            conn.execute(update(sub).where(sub.c.id == pk).values(comment_state=schema.PENDING))

    def _submission_row(self, conn: Connection, session_pk: int, round_: int, sid, values) -> int:
        table = schema.submissions
        fresh = {"submitted": False, **values}
        stmt = self._insert(table).values(
            submission_id=sid, session_id=session_pk, round=round_, version=1, **fresh
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[table.c.submission_id],
            set_={**values, "version": table.c.version + 1},
        )
        conn.execute(stmt)
        return conn.execute(select(table.c.id).where(table.c.submission_id == sid)).scalar_one()

    def _answer(self, conn: Connection, pk: int, item: str, value: tuple[int | None, str | None]):
        table = schema.answers
        number, text = value
        if number is None and text is None:
            conn.execute(table.delete().where(table.c.submission == pk, table.c.item == item))
            return
        stmt = self._insert(table).values(submission=pk, item=item, value=number, text=text)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.submission, table.c.item],
                set_={"value": number, "text": text},
            )
        )

    def _insert(self, table):
        if self._sqlite:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        return dialect_insert(table)

    # ---- reading (dashboard) --------------------------------------------------
    def responses(
        self,
        code: str,
        round_: int | None = None,
        *,
        submitted_only: bool = True,
        ids: list[str] | None = None,
    ) -> list[Response]:
        """Submissions of a session (one round or all), answers decoded."""
        sub, ans, ses = schema.submissions, schema.answers, schema.sessions
        query = (
            select(sub, ans.c.item, ans.c.value, ans.c.text)
            .join(ses, ses.c.id == sub.c.session_id)
            .outerjoin(ans, ans.c.submission == sub.c.id)
            .where(ses.c.code == normalise_code(code))
            .order_by(sub.c.id, ans.c.id)
        )
        if round_ is not None:
            query = query.where(sub.c.round == round_)
        if submitted_only:
            query = query.where(sub.c.submitted.is_(True))
        if ids is not None:
            query = query.where(sub.c.submission_id.in_(ids))
        session = self.find_session(code)
        if session is None:
            return []
        form = load_questionnaire(session.form)
        multi = form.problems.id if form.problems else None
        found: dict[int, Response] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                response = found.get(row.id)
                if response is None:
                    response = found[row.id] = Response(
                        row.submission_id,
                        row.round,
                        row.unit,
                        row.role,
                        row.day,
                        bool(row.submitted),
                        row.comment_state,
                    )
                if row.item is not None:
                    response.answers[row.item] = decoded(row.value, row.text, row.item == multi)
        return list(found.values())

    def change_marker(self, code: str) -> tuple:
        """Cheap fingerprint of a session's submissions: poll it, re-read only on change."""
        sub, ses = schema.submissions, schema.sessions
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    func.count(sub.c.id),
                    func.coalesce(func.sum(sub.c.version), 0),
                    func.max(sub.c.id),
                )
                .select_from(ses.outerjoin(sub, sub.c.session_id == ses.c.id))
                .where(ses.c.code == normalise_code(code))
            ).first()
            state = conn.execute(
                select(ses.c.is_open, ses.c.round, ses.c.results_hidden, ses.c.for_draft).where(
                    ses.c.code == normalise_code(code)
                )
            ).first()
        return (tuple(row), tuple(state) if state else None)

    def moderate(self, code: str, submission_ids, state: str) -> int:
        """Release (SHOWN), hold back (HIDDEN) or re-queue (PENDING) comments; how many changed."""
        if state not in schema.COMMENT_STATES:
            raise ValueError(f"unknown comment state {state!r}")
        ids = list(submission_ids)
        if not ids:
            return 0
        return self._set_comments(code, state, schema.submissions.c.submission_id.in_(ids))

    def release_comments(self, code: str, round_: int | None = None) -> int:
        """Release every comment still waiting (bulk release); how many were released."""
        sub = schema.submissions
        where = sub.c.comment_state == schema.PENDING
        if round_ is not None:
            where = where & (sub.c.round == round_)
        return self._set_comments(code, schema.SHOWN, where)

    def _set_comments(self, code: str, state: str, where) -> int:
        sub, ses = schema.submissions, schema.sessions
        session_pk = select(ses.c.id).where(ses.c.code == normalise_code(code)).scalar_subquery()
        with self._write() as conn:
            done = conn.execute(
                update(sub)
                .where(sub.c.session_id == session_pk, sub.c.comment_state != state, where)
                .values(comment_state=state, version=sub.c.version + 1)
            )
        return done.rowcount

    def counts(self, code: str, round_: int | None = None) -> tuple[int, int]:
        """(submitted, still answering) in a session or one of its rounds."""
        sub, ses = schema.submissions, schema.sessions
        query = (
            select(sub.c.submitted, func.count())
            .join(ses, ses.c.id == sub.c.session_id)
            .where(ses.c.code == normalise_code(code))
            .group_by(sub.c.submitted)
        )
        if round_ is not None:
            query = query.where(sub.c.round == round_)
        with self.engine.connect() as conn:
            got = {bool(k): v for k, v in conn.execute(query)}
        return got.get(True, 0), got.get(False, 0)


# ---- helpers ------------------------------------------------------------------


def _session(row) -> Session:
    return Session(
        code=row.code,
        title=row.title,
        form=row.form,
        organiser=row.organiser or "",
        is_open=bool(row.is_open),
        round=row.round,
        ask_role=bool(row.ask_role),
        units=tuple(u for u in (row.units or "").split("\n") if u),
        results_hidden=bool(row.results_hidden),
        for_draft=bool(row.for_draft),
        created_on=row.created_on,
    )
