"""Verified 问题线索 as evidence for 存在的主要问题, said so the reader is not misled."""

from __future__ import annotations

import datetime as dt
from datetime import date

import pytest

from jianfu.clues.evidence import clue_findings, clue_findings_for_draft, draft_evidence
from jianfu.clues.model import PARTLY, TRUE, UNTRUE
from jianfu.clues.store import ClueStore
from jianfu.clues.text import report_from
from jianfu.speech.checks import run_checks
from jianfu.speech.compose import DraftRequest, compose_draft
from jianfu.speech.figures import draft_figures
from jianfu.speech.genres import load_genres
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.speech.sources import provenance
from jianfu.store.demo import demo_observations

TODAY = date(2026, 11, 30)


@pytest.fixture
def clue_store(tmp_path):
    store = ClueStore(f"sqlite:///{tmp_path / 'db.sqlite'}")
    yield store
    store.engine.dispose()


def add(store, category, finding=None, day=date(2026, 5, 1)):
    store.submit(report_from({"category": category, "what": "同一张表要求报三次"}), today=day)
    clue_id = max(c.id for c in store.clues())
    if finding:
        store.change_status(clue_id, finding, "核实", today=day)
    return clue_id


def test_nothing_when_no_clue_was_found_true(clue_store):
    assert clue_findings(clue_store.clues(), TODAY) == []
    add(clue_store, "督检考")
    add(clue_store, "会议", UNTRUE)
    assert clue_findings(clue_store.clues(), TODAY) == []


def test_the_year_counts_with_the_leading_area_and_their_basis(clue_store):
    for category, finding in [
        ("督检考", TRUE),
        ("督检考", PARTLY),
        ("会议", TRUE),
        ("会议", UNTRUE),
        ("文件", None),
    ]:
        add(clue_store, category, finding)
    add(clue_store, "督检考", TRUE, day=date(2025, 12, 31))  # last year: not counted
    duplicate = add(clue_store, "督检考", TRUE)
    clue_store.merge(duplicate, 1)  # one problem, counted once
    [found] = clue_findings(clue_store.clues(merged=True), TODAY)
    assert found.text == "今年以来收到问题线索5条，经核实属实或部分属实3条，其中督检考方面2条"
    assert (found.kind, found.category, found.topic) == ("clue", "督检考", "基层反映的问题线索")
    assert "2026-01-01至2026-11-30受理5条" in found.basis
    assert "核实属实2条、部分属实1条" in found.basis


@pytest.mark.parametrize(
    "categories, said",
    [
        (["会议"], "，为会议方面"),  # was “属实1条，均为会议方面”: 均 wants several
        (["会议", "会议"], "，均为会议方面"),
        (["会议", "文件"], "，其中文件、会议方面各1条"),
    ],
)
def test_one_area_or_a_tie_is_said_as_it_is(clue_store, categories, said):
    for category in categories:
        add(clue_store, category, TRUE)
    [found] = clue_findings(clue_store.clues(), TODAY)
    assert found.text.endswith(said)
    assert found.category == ("" if len(set(categories)) > 1 else categories[0])


def test_a_database_without_clues_gives_nothing_and_gains_no_table(tmp_path):
    from sqlalchemy import create_engine, inspect

    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    assert clue_findings_for_draft(url) == []
    assert not inspect(create_engine(url)).has_table("clues")


def test_the_draft_rests_a_problem_on_the_clues_and_labels_it(clue_store, catalog):
    add(clue_store, "督检考", TRUE)
    add(clue_store, "督检考", TRUE)
    found = draft_evidence(clue_store.url, "示例县")
    assert [f.kind for f in found] == ["clue"]
    request = DraftRequest(
        "研讨交流发言",
        "示例县",
        "2023年",
        "2024年",
        date=dt.date(2024, 8, 6),
        findings=tuple(found),
    )
    obs, bank = demo_observations(), load_phrasebank()
    draft = compose_draft(obs, catalog, request, load_genres(), bank)
    problems = next(s for s in draft.sections if s.key == "problems").paragraphs
    point = next(p for p in problems if found[0].text in p.text)
    lines = provenance(point.topic, point.text, point.sources)
    clue_lines = [line for line in lines if line.label == "问题线索"]
    assert clue_lines and all("问题线索台账" in line.basis for line in clue_lines)
    checked = run_checks(draft, draft_figures(obs, catalog, draft), bank)
    assert not [f for f in checked if f.check in ("figure", "no_evidence")]


def test_the_drafting_page_offers_the_clue_counts(demo_store, monkeypatch):
    """The 发言稿 page (from_default_store) shows the sentence and writes it into the draft."""
    from jianfu_widgets.draft import DraftApp

    monkeypatch.setenv("JIANFU_DB_URL", demo_store.url)
    clues = ClueStore(demo_store.url)
    add(clues, "督检考", TRUE, day=date.today())
    clues.engine.dispose()
    app = DraftApp.from_default_store()
    app.choose(unit="示例县")
    said = "今年以来收到问题线索1条，经核实属实或部分属实1条，为督检考方面"
    assert said in app.output("findings_info")
    draft = compose_draft(
        demo_store.observations(),
        demo_store.catalog(),
        app.request(),
        load_genres(),
        load_phrasebank(),
    )
    problems = next(s for s in draft.sections if s.key == "problems").paragraphs
    assert any(said in p.text for p in problems)
