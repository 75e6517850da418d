"""Drafts in the database: save (autosave), list, open, duplicate, delete.

The drafts live in the workbook's database (SQLite or PostgreSQL, one code path
through jianfu.db) in a table of their own, described by this module's MetaData,
so nothing here touches the data tables. A draft is stored whole as JSON; every
save is one transaction, so a draft is never half-written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import Engine

from ..db import make_engine, writing
from ..errors import JianfuError
from ..paths import default_db_url
from .model import Draft

metadata = MetaData()

speech_drafts = Table(
    "speech_drafts",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", String(200), nullable=False, default=""),
    Column("genre", String(60), nullable=False, default=""),
    Column("unit", String(60), nullable=False, default=""),
    Column("body", Text, nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class DraftSummary:
    """One line of the draft list."""

    id: str
    title: str
    genre: str
    unit: str
    updated_at: datetime
    revision: int

    def label(self) -> str:
        when = self.updated_at.astimezone().strftime("%m-%d %H:%M")
        return f"{self.title or '（无标题）'} · {self.genre} · {self.unit} · {when}"


class DraftConflict(JianfuError):
    """The draft was saved from another window since this one read it; nothing was saved."""

    def __init__(self, revision: int):
        self.revision = revision
        super().__init__(
            f"这份稿子已在另一个窗口（或另一台电脑上）修改过（现为第{revision}版），"
            "为免覆盖，本窗口的修改尚未保存"
        )


class DraftStore:
    """Drafts in the database at ``url`` (default: the workbook's database)."""

    def __init__(self, url: str | None = None, engine: Engine | None = None):
        self.url = url or default_db_url()
        self.engine = engine or make_engine(self.url)
        metadata.create_all(self.engine)

    def save(self, draft: Draft, expected: int | None = None) -> int:
        """Insert or update ``draft``; returns its new revision number.

        With ``expected`` (the revision this window read or last saved) the save
        applies only if nobody saved the draft since; otherwise DraftConflict.
        """
        body = json.dumps(draft.to_dict(), ensure_ascii=False)
        now = datetime.now(UTC)
        values = {
            "title": draft.title[:200],
            "genre": draft.genre[:60],
            "unit": draft.unit[:60],
            "body": body,
            "updated_at": now,
        }
        with writing(self.engine) as conn:
            current = conn.execute(
                select(speech_drafts.c.revision).where(speech_drafts.c.id == draft.id)
            ).scalar()
            if expected is not None and current is not None and current != expected:
                raise DraftConflict(current)
            if current is None:
                conn.execute(
                    speech_drafts.insert().values(id=draft.id, revision=1, created_at=now, **values)
                )
                return 1
            conn.execute(
                speech_drafts.update()
                .where(speech_drafts.c.id == draft.id)
                .values(revision=current + 1, **values)
            )
            return current + 1

    def load(self, draft_id: str) -> Draft:
        with self.engine.connect() as conn:
            body = conn.execute(
                select(speech_drafts.c.body).where(speech_drafts.c.id == draft_id)
            ).scalar()
        if body is None:
            raise JianfuError("找不到这份稿子，可能已被删除")
        try:
            return Draft.from_dict(json.loads(body))
        except (ValueError, TypeError, JianfuError) as exc:
            raise JianfuError(f"这份稿子的存储内容已损坏，无法打开（{exc}）") from None

    def list(self) -> list[DraftSummary]:
        """All drafts, the most recently edited first."""
        query = select(
            speech_drafts.c.id,
            speech_drafts.c.title,
            speech_drafts.c.genre,
            speech_drafts.c.unit,
            speech_drafts.c.updated_at,
            speech_drafts.c.revision,
        ).order_by(speech_drafts.c.updated_at.desc(), speech_drafts.c.id)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [DraftSummary(*(r[:4]), _aware(r[4]), r[5]) for r in rows]

    def latest(self) -> Draft | None:
        """The draft edited last, to reopen where the user left off."""
        drafts = self.list()
        return self.load(drafts[0].id) if drafts else None

    def duplicate(self, draft_id: str) -> Draft:
        """A saved copy of a draft, titled “（副本）”."""
        clone = self.load(draft_id).copy()
        clone.title = f"{clone.title}（副本）"
        self.save(clone)
        return clone

    def delete(self, draft_id: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(speech_drafts.delete().where(speech_drafts.c.id == draft_id))

    def revision(self, draft_id: str) -> int | None:
        with self.engine.connect() as conn:
            return conn.execute(
                select(speech_drafts.c.revision).where(speech_drafts.c.id == draft_id)
            ).scalar()


def _aware(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)
