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
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ..db import make_engine, writing
from ..errors import JianfuError
from ..paths import default_db_url
from ..text import clean_name, clean_text
from . import schema
from .questionnaire import SCALE_POINTS, UNKNOWN, Questionnaire, load_questionnaire

CODE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{2,31}$")
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a projector
MAX_TITLE = 80
MAX_UNITS = 200


class SessionError(JianfuError):
    """Unknown, closed or finished session; the message is for the participant."""


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
    comment_hidden: bool
    answers: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Draft:
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

    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        self._sqlite = self.engine.dialect.name == "sqlite"
        self._create_tables()

    def _create_tables(self) -> None:
        # Many kernels may open a fresh database at once: the loser of a
        # CREATE TABLE race simply tries again and finds the tables there.
        for attempt in range(5):
            try:
                schema.metadata.create_all(self.engine)
                return
            except (OperationalError, IntegrityError, DBAPIError):
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))

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
        cleaned = _clean_units(units)
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

    def draft(self, code: str, token: str) -> Draft:
        """Resume: the participant's answers so far in the session's current round."""
        session = self.open_for_participant(code)
        sid = submission_id(token, session.code, session.round)
        found = self.responses(session.code, round_=session.round, submitted_only=False, ids=[sid])
        if not found:
            return Draft(session, sid, {}, None, None, False)
        mine = found[0]
        return Draft(session, sid, dict(mine.answers), mine.unit, mine.role, mine.submitted)

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
            cleaned = {item: _checked(form, item, value) for item, value in answers.items()}
            values = {"day": date.today()}
            if fields:
                values.update(_checked_fields(session, form, fields))
            if submit:
                values["submitted"] = True
            pk = self._submission_row(conn, row.id, round_, sid, values)
            for item, value in cleaned.items():
                self._answer(conn, pk, item, value)

    def _submission_row(self, conn: Connection, session_pk: int, round_: int, sid, values) -> int:
        table = schema.submissions
        fresh = {"submitted": False, "comment_hidden": False, **values}
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
                        bool(row.comment_hidden),
                    )
                if row.item is not None:
                    response.answers[row.item] = _decoded(row.value, row.text, row.item == multi)
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

    def hide_comment(self, submission_id_: str, hidden: bool = True) -> None:
        with self._write() as conn:
            conn.execute(
                update(schema.submissions)
                .where(schema.submissions.c.submission_id == submission_id_)
                .values(comment_hidden=hidden, version=schema.submissions.c.version + 1)
            )

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


def _clean_units(units) -> list[str]:
    cleaned = []
    for unit in units or ():
        unit = clean_name(unit)
        if unit and unit not in cleaned:
            if len(unit) > 60:
                raise JianfuError(f"单位名称“{unit[:20]}…”太长（不超过60字）")
            cleaned.append(unit)
    if len(cleaned) > MAX_UNITS:
        raise JianfuError(f"单位最多列{MAX_UNITS}个")
    return cleaned


def _checked(form: Questionnaire, item: str, value: object) -> tuple[int | None, str | None]:
    """(number, text) to store for one answer, or SessionError if it cannot be valid."""
    if value is None:
        return None, None
    scale_ids = {i.id for i in form.items}
    if item in scale_ids:
        if (
            isinstance(value, int)
            and not isinstance(value, bool)
            and UNKNOWN <= value <= SCALE_POINTS
        ):
            return value, None
    elif item == form.overall.id:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
            return value, None
    elif form.problems and item == form.problems.id:
        chosen = [value] if isinstance(value, str) else list(value or ())
        if (
            all(c in form.problems.options for c in chosen)
            and len(chosen) <= form.problems.max_choices
        ):
            return (None, "\n".join(chosen)) if chosen else (None, None)
    elif form.comment and item == form.comment.id:
        if isinstance(value, str):
            text = clean_text(value).strip()[: form.comment.max_length]
            return (None, text) if text else (None, None)
    raise SessionError("答案无效，请刷新页面后重试")


def _checked_fields(session: Session, form: Questionnaire, fields) -> dict[str, str | None]:
    values = {}
    if "role" in fields:
        role = fields["role"] or None
        if role is not None and role not in form.role.options:
            raise SessionError("岗位类别无效，请刷新页面后重试")
        values["role"] = role
    if "unit" in fields:
        unit = fields["unit"] or None
        if unit is not None and unit not in session.units:
            raise SessionError("单位无效，请刷新页面后重试")
        values["unit"] = unit
    return values


def _decoded(number: int | None, text: str | None, multi: bool) -> object:
    if number is not None:
        return number
    if multi:
        return [t for t in (text or "").split("\n") if t]
    return text
