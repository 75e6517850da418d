"""Drafts in the database: save, list, reopen, duplicate, delete — on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from jianfu.errors import JianfuError
from jianfu.speech.drafts import DraftStore
from jianfu.speech.model import Draft, Paragraph, Section


def _draft(title="稿一") -> Draft:
    return Draft(
        title=title,
        genre="研讨交流发言",
        unit="示例县",
        sections=[Section("认识体会", paragraphs=[Paragraph("第一段。", "point", "减负")])],
    )


def check_round_trip(drafts: DraftStore) -> None:
    first = _draft()
    assert drafts.save(first) == 1
    first.set_text(first.sections[0].paragraphs[0].id, "改过的第一段。")
    assert drafts.save(first) == 2
    again = drafts.load(first.id)
    assert again.to_dict() == first.to_dict()
    second = _draft("稿二")
    drafts.save(second)
    assert [s.title for s in drafts.list()] == ["稿二", "稿一"]  # the last edited first
    assert drafts.latest().id == second.id
    drafts.save(first)
    assert drafts.latest().id == first.id
    clone = drafts.duplicate(first.id)
    assert clone.id != first.id and clone.title == "稿一（副本）"
    assert drafts.load(clone.id).sections[0].paragraphs[0].text == "改过的第一段。"
    drafts.delete(first.id)
    assert first.id not in [s.id for s in drafts.list()]
    with pytest.raises(JianfuError, match="找不到这份稿子"):
        drafts.load(first.id)
    assert "稿二" in drafts.list()[-1].label()


def test_round_trip_sqlite(tmp_path):
    check_round_trip(DraftStore(f"sqlite:///{tmp_path / 'd.sqlite'}"))


def test_drafts_share_the_workbook_database_in_their_own_table(demo_store):
    drafts = DraftStore(demo_store.url, engine=demo_store.engine)
    drafts.save(_draft())
    tables = set(inspect(demo_store.engine).get_table_names())
    assert {"speech_drafts", "observations"} <= tables
    assert len(demo_store.observations()) > 0  # the data tables are untouched


def test_a_damaged_draft_is_a_chinese_error(tmp_path):
    drafts = DraftStore(f"sqlite:///{tmp_path / 'd.sqlite'}")
    draft = _draft()
    drafts.save(draft)
    from jianfu.speech.drafts import speech_drafts

    with drafts.engine.begin() as conn:
        conn.execute(speech_drafts.update().values(body="{not json"))
    with pytest.raises(JianfuError, match="已损坏"):
        drafts.load(draft.id)


# ---- the same on PostgreSQL --------------------------------------------------


@pytest.mark.postgres
def test_round_trip_postgresql(pg_url):
    drafts = DraftStore(pg_url)
    try:
        assert drafts.engine.dialect.name == "postgresql"
        check_round_trip(drafts)
    finally:
        drafts.engine.dispose()
