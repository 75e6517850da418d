"""Sessions and submissions: idempotent, anonymous, and safe with a whole room at once.

Every test runs on SQLite and, when PostgreSQL is available (always in CI), on a
throwaway PostgreSQL server (tests/support/pg_server.py).
"""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date

import pytest
from sqlalchemy import func, inspect, select, text

from jianfu.assess import schema
from jianfu.assess.store import AssessStore, SessionError, submission_id
from jianfu.errors import JianfuError

ROOM = 60
ANSWERS = {f"q0{n}": (n % 5) + 1 for n in range(1, 10)} | {"g01": 0, "overall": 7}
EXTRA = {"problems": ["inspections", "reports"], "comment": "=少开会"}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'assess.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(db_url):
    store = AssessStore(db_url)
    yield store
    store.engine.dispose()


def token(n: int) -> str:
    return f"participant-token-{n:04d}"


def participant(url: str, n: int, barrier=None) -> None:
    """One phone: open the page, answer item by item, then submit three times (double click, retry)."""
    store = AssessStore(url)
    try:
        if barrier is not None:
            barrier.wait(timeout=60)
        draft = store.draft("room", token(n))
        for item, value in ANSWERS.items():
            store.save_answer("room", draft.session.round, draft.submission_id, item, value)
        for _ in range(3):
            store.save(
                "room",
                draft.session.round,
                draft.submission_id,
                {**ANSWERS, **EXTRA},
                fields={"role": "基层" if n % 2 else "机关"},
                submit=True,
            )
    finally:
        store.engine.dispose()


def assert_room_stored_once(store: AssessStore, people: int) -> None:
    responses = store.responses("room")
    assert len(responses) == people
    assert {r.submission_id for r in responses} == {
        submission_id(token(n), "room", 1) for n in range(people)
    }
    for r in responses:
        assert r.answers == {**ANSWERS, **EXTRA}
    with store.engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(schema.answers)).scalar()
        subs = conn.execute(select(func.count()).select_from(schema.submissions)).scalar()
    assert subs == people
    assert rows == people * len(ANSWERS | EXTRA)


# A whole room (60) is slow; a few people at once keep the rule in the fast run.
ROOMS = [pytest.param(ROOM, marks=pytest.mark.slow, id=str(ROOM)), pytest.param(6, id="6")]


@pytest.mark.parametrize("people", ROOMS)
def test_a_room_of_threads_submitting_at_once(store, db_url, people):
    store.create_session("room", "现场自评")
    barrier = threading.Barrier(people)
    errors: list[BaseException] = []

    def run(n):
        try:
            participant(db_url, n, barrier)
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(people)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert errors == []
    assert_room_stored_once(store, people)


@pytest.mark.parametrize("people", ROOMS)
def test_a_room_of_processes_submitting_at_once(store, db_url, people):
    store.create_session("room", "现场自评")
    store.engine.dispose()  # nothing shared across fork
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(people)
    procs = [ctx.Process(target=participant, args=(db_url, n, barrier)) for n in range(people)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
    assert [p.exitcode for p in procs] == [0] * people
    assert_room_stored_once(store, people)


def test_answers_saved_as_given_come_back_after_a_reload(store):
    store.create_session("abc", "测试")
    first = store.draft("abc", token(1))
    assert first.answers == {} and not first.submitted
    store.save_answer("abc", 1, first.submission_id, "q01", 4)
    store.save_answer("abc", 1, first.submission_id, "q02", 0)
    store.save_answer("abc", 1, first.submission_id, "q01", 2)  # changed her mind
    again = store.draft("ABC ", token(1))  # a reload; codes are case-insensitive
    assert again.submission_id == first.submission_id
    assert again.answers == {"q01": 2, "q02": 0}
    store.save_answer("abc", 1, first.submission_id, "q02", None)  # cleared
    assert store.draft("abc", token(1)).answers == {"q01": 2}
    assert store.responses("abc") == []  # a draft is not a submission
    assert store.counts("abc") == (0, 1)


def test_change_after_submitting_until_the_session_closes(store):
    store.create_session("abc", "测试")
    sid = store.draft("abc", token(1)).submission_id
    store.save("abc", 1, sid, {"q01": 5}, submit=True)
    store.save_answer("abc", 1, sid, "q01", 1)
    assert store.responses("abc")[0].answers == {"q01": 1}
    assert store.draft("abc", token(1)).submitted
    store.set_open("abc", False)
    with pytest.raises(SessionError, match="已结束"):
        store.save_answer("abc", 1, sid, "q01", 3)
    with pytest.raises(SessionError, match="已结束"):
        store.draft("abc", token(1))
    assert store.responses("abc")[0].answers == {"q01": 1}


def test_new_round_keeps_the_earlier_one(store):
    store.create_session("abc", "测试")
    sid1 = store.draft("abc", token(1)).submission_id
    store.save("abc", 1, sid1, {"q01": 5}, submit=True)
    session = store.new_round("abc")
    assert session.round == 2
    with pytest.raises(SessionError, match="新一轮"):
        store.save_answer("abc", 1, sid1, "q01", 1)  # a page still open on round 1
    draft = store.draft("abc", token(1))
    assert draft.submission_id != sid1 and draft.answers == {}
    store.save("abc", 2, draft.submission_id, {"q01": 1}, submit=True)
    assert [r.round for r in store.responses("abc")] == [1, 2]
    assert [r.answers for r in store.responses("abc", round_=1)] == [{"q01": 5}]


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "缺少场次代码"), ("nosuch", "没有找到场次“nosuch”")],
)
def test_unknown_codes_get_a_clear_message(store, code, message):
    with pytest.raises(SessionError, match=message):
        store.draft(code, token(1))


@pytest.mark.parametrize(
    ("item", "value"),
    [
        ("q01", 6),
        ("q01", "5"),
        ("q01", True),
        ("overall", 11),
        ("problems", ["不在选项里"]),
        ("problems", ["meetings_docs", "inspections", "traces", "reports"]),  # at most three
        ("nosuch", 1),
    ],
)
def test_invalid_answers_are_refused_and_nothing_is_written(store, item, value):
    store.create_session("abc", "测试")
    sid = store.draft("abc", token(1)).submission_id
    with pytest.raises(SessionError, match="答案无效"):
        store.save("abc", 1, sid, {"q02": 3, item: value})
    assert store.counts("abc") == (0, 0)


def test_fields_are_checked_against_the_session(store):
    store.create_session("abc", "测试", units=["甲镇", "乙镇", "甲镇"], ask_role=True)
    assert store.session("abc").units == ("甲镇", "乙镇")
    sid = store.draft("abc", token(1)).submission_id
    with pytest.raises(SessionError, match="单位无效"):
        store.save("abc", 1, sid, {}, fields={"unit": "丙镇"})
    with pytest.raises(SessionError, match="岗位类别无效"):
        store.save("abc", 1, sid, {}, fields={"role": "领导"})
    store.save("abc", 1, sid, {"q01": 1}, fields={"unit": "乙镇", "role": "机关"}, submit=True)
    (r,) = store.responses("abc")
    assert (r.unit, r.role) == ("乙镇", "机关")


def test_nothing_identifies_a_person(store):
    store.create_session("abc", "测试")
    secret = "the-raw-browser-token-1234"
    sid = store.draft("abc", secret).submission_id
    store.save("abc", 1, sid, {"q01": 1, "comment": "意见"}, submit=True)
    columns = {
        c["name"]: str(c["type"])
        for table in ("assess_submissions", "assess_answers")
        for c in inspect(store.engine).get_columns(table)
    }
    assert not {"name", "ip", "address", "token", "created_at", "updated_at"} & set(columns)
    assert not [c for c, kind in columns.items() if "TIME" in kind.upper()]
    with store.engine.connect() as conn:
        dump = repr(conn.execute(text("SELECT * FROM assess_submissions")).all())
    assert secret not in dump
    assert store.responses("abc")[0].day == date.today()


@pytest.mark.parametrize(
    ("code", "title", "message"),
    [
        ("a", "测试", "场次代码应为"),
        ("有中文", "测试", "场次代码应为"),
        ("abc", "", "请填写场次名称"),
    ],
)
def test_bad_sessions(store, code, title, message):
    with pytest.raises(JianfuError, match=message):
        store.create_session(code, title)


def test_duplicate_code_and_unknown_form(store):
    store.create_session("abc", "测试")
    with pytest.raises(JianfuError, match="已被使用"):
        store.create_session("ABC", "又一个")
    with pytest.raises(JianfuError, match="找不到问卷文件"):
        store.create_session("xyz", "测试", form="nosuch")


def test_bad_token_is_refused(store):
    store.create_session("abc", "测试")
    with pytest.raises(SessionError, match="页面标识无效"):
        store.draft("abc", "short")


def test_session_switches_and_change_marker(store):
    store.create_session("abc", "测试")
    before = store.change_marker("abc")
    sid = store.draft("abc", token(1)).submission_id
    store.save_answer("abc", 1, sid, "q01", 3)
    after_answer = store.change_marker("abc")
    store.save_answer("abc", 1, sid, "q01", 4)  # same row, new value: still a change
    assert len({before, after_answer, store.change_marker("abc")}) == 3
    assert store.set_results_hidden("abc", True).results_hidden
    assert not store.set_open("abc", False).is_open
    assert store.mark_for_draft("abc").for_draft
    store.create_session("def", "第二场")
    assert store.mark_for_draft("def").for_draft
    assert [s.code for s in store.sessions() if s.for_draft] == ["def"]


# ---- stable ids and the assess schema's migration (issue 17, items 15 and 18) ----------------


def test_chosen_options_are_stored_by_id(store):
    store.create_session("abc", "测试")
    sid = store.draft("abc", token(1)).submission_id
    store.save("abc", 1, sid, {"problems": ["inspections", "reports"]}, submit=True)
    with store.engine.connect() as conn:
        stored = conn.execute(select(schema.answers.c.text)).scalar_one()
    assert stored == "inspections\nreports"
    assert store.responses("abc")[0].answers["problems"] == ["inspections", "reports"]
    with pytest.raises(SessionError, match="答案无效"):  # the wording is not an answer
        store.save("abc", 1, sid, {"problems": ["督检考过多过频"]})


def _version_1_database(url: str) -> None:
    """The assess tables as the first release made them: no version, comment_hidden, texts."""
    from sqlalchemy import Boolean, Column, Date, Integer, MetaData, String, Table, Text

    from jianfu.db import make_engine

    old = MetaData()
    sessions = Table(
        "assess_sessions", old,
        Column("id", Integer, primary_key=True), Column("code", String(32), unique=True),
        Column("title", String(80)), Column("form", String(40)), Column("organiser", String(60)),
        Column("is_open", Boolean), Column("round", Integer), Column("ask_role", Boolean),
        Column("units", Text), Column("results_hidden", Boolean), Column("for_draft", Boolean),
        Column("created_on", Date),
    )  # fmt: skip
    subs = Table(
        "assess_submissions", old,
        Column("id", Integer, primary_key=True), Column("submission_id", String(64), unique=True),
        Column("session_id", Integer), Column("round", Integer), Column("unit", String(60)),
        Column("role", String(20)), Column("day", Date), Column("submitted", Boolean),
        Column("comment_hidden", Boolean, nullable=False), Column("version", Integer),
    )  # fmt: skip
    answers = Table(
        "assess_answers", old,
        Column("id", Integer, primary_key=True), Column("submission", Integer),
        Column("item", String(40)), Column("value", Integer), Column("text", Text),
    )  # fmt: skip
    engine = make_engine(url)
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(sessions.insert().values(
            id=1, code="old", title="去年的场次", form="quick", organiser="", is_open=False,
            round=1, ask_role=True, units="", results_hidden=False, for_draft=False,
            created_on=date(2024, 3, 1),
        ))  # fmt: skip
        for n, hidden in enumerate([False, True, False], 1):
            conn.execute(subs.insert().values(
                id=n, submission_id=f"sid{n}", session_id=1, round=1, unit=None, role="基层",
                day=date(2024, 3, 1), submitted=True, comment_hidden=hidden, version=1,
            ))  # fmt: skip
            conn.execute(answers.insert().values(submission=n, item="q01", value=n))
            conn.execute(answers.insert().values(submission=n, item="comment", text=f"意见{n}"))
        chosen = ["督检考过多过频\n数据报表重复填报", "督检考过多过频\n已删去的选项", "reports"]
        for n, text in enumerate(chosen, 1):
            conn.execute(answers.insert().values(submission=n, item="problems", text=text))
    engine.dispose()


def test_a_first_release_database_is_migrated_without_losing_an_answer(db_url):
    _version_1_database(db_url)
    store = AssessStore(db_url)
    try:
        assert store.schema_version() == schema.ASSESS_SCHEMA_VERSION
        got = {r.submission_id: r for r in store.responses("old")}
        assert got["sid1"].answers["problems"] == ["inspections", "reports"]
        # a choice that matches no option now is kept as it was, to be reported
        assert got["sid2"].answers["problems"] == ["inspections", "已删去的选项"]
        assert got["sid3"].answers["problems"] == ["reports"]
        assert [got[f"sid{n}"].answers["q01"] for n in (1, 2, 3)] == [1, 2, 3]
        # comments shown before moderation existed wait for it; a hidden one stays hidden
        states = [got[f"sid{n}"].comment_state for n in (1, 2, 3)]
        assert states == ["pending", "hidden", "pending"]
        again = AssessStore(db_url)  # opening a migrated database changes nothing
        assert again.responses("old") == store.responses("old")
        again.engine.dispose()
    finally:
        store.engine.dispose()
