"""The public 问题线索 pages by protocol: the report handler in a real Tornado server.

The same handler the public Voila server mounts at /report (jianfu.server.report),
without XSRF in the settings (as Voila runs it: the handler checks itself), on a
fresh SQLite database; tests/browser/test_clues_pages.py
drives the whole public server in Chromium.
"""

from __future__ import annotations

import re

import pytest
import requests
from sqlalchemy import select

from jianfu.clues import schema
from jianfu.clues.page import NOT_FOUND, RECEIVED, TOO_MANY_LOOKUPS, TOO_MANY_REPORTS
from jianfu.clues.store import ClueStore
from jianfu.server import report as report_server
from tests.support.servers import tornado_app

CODE = re.compile(r'id="code">([A-Z0-9-]{14})<')


@pytest.fixture
def server(tmp_path):
    store = ClueStore(f"sqlite:///{tmp_path / 'clues.sqlite'}")
    state = report_server.State(store, trusted=frozenset())  # no proxy in front
    handlers = [(r"/" + report_server.ROUTE, report_server.ReportHandler)]
    with tornado_app(handlers, jianfu_clues=state) as base:
        yield base, store, state
    store.engine.dispose()


FORM = {"category": "报表台账", "imposed_by": "某县统计局", "what": "同一张表一个月报三次"}


def send(base, session=None, path="report", **fields):
    session = session or requests.Session()
    form = session.get(base + path, timeout=10)
    assert form.status_code == 200
    data = {**fields, "_xsrf": session.cookies["_xsrf"]}
    return session.post(base + path, data=data, timeout=10)


def test_a_report_gets_a_code_once_and_the_code_reads_the_status(server):
    base, store, _ = server
    sent = send(base, **FORM, when="2026年11月", hours="6", contact="不要存", supervisor="")
    assert sent.status_code == 200 and RECEIVED in sent.text
    code = CODE.search(sent.text).group(1)
    [clue] = store.clues()
    assert (clue.category, clue.hours, clue.contact) == ("报表台账", 6.0, "")
    store.change_status(clue.id, "核实属实", "已核实")
    store.set_reply(clue.id, "已通知<b>统计局</b>合并报表")
    looked = send(base, path="report/status", code=code.lower())
    assert "核实属实" in looked.text
    assert "已通知&lt;b&gt;统计局&lt;/b&gt;合并报表" in looked.text  # escaped
    assert code not in looked.text  # the code is shown once, on 已收到


@pytest.mark.parametrize("wrong", ["", "AAAA-BBBB-CCCC", "<script>", "x" * 40])
def test_a_wrong_code_gets_the_one_neutral_answer(server, wrong):
    base, _, _ = server
    send(base, **FORM)
    looked = send(base, path="report/status", code=wrong)
    assert looked.status_code == 200 and NOT_FOUND in looked.text
    assert "<script>" not in looked.text


def test_a_missing_account_is_said_and_the_form_kept(server):
    base, store, _ = server
    sent = send(base, category="会议", imposed_by="<i>某局</i>", what="")
    assert "请写明发生了什么" in sent.text and "&lt;i&gt;某局&lt;/i&gt;" in sent.text
    assert store.clues() == []


def test_a_post_without_the_form_cookie_is_refused(server):
    base, store, _ = server
    assert requests.post(base + "report", data=FORM, timeout=10).status_code == 403
    assert store.clues() == []


def test_a_huge_body_is_refused_and_nothing_stored(server):
    base, store, _ = server
    sent = send(base, **{**FORM, "what": "长" * 20_000})
    assert sent.status_code == 413 and "过长" in sent.text
    assert store.clues() == []


def test_over_the_rate_limit_the_reporter_is_told_nothing_was_saved_and_gets_no_code(server):
    base, store, _ = server
    session = requests.Session()
    answers = [send(base, session, **FORM) for _ in range(report_server.REPORTS_PER_HOUR)]
    codes = [CODE.search(a.text).group(1) for a in answers]
    assert all(store.status(code) for code in codes)  # every code shown exists
    late = send(base, session, **{**FORM, "what": "第六条：<b>同一张表</b>又报了一次"})
    assert late.status_code == 429 and late.headers["Retry-After"] == "3600"
    assert TOO_MANY_REPORTS in late.text and RECEIVED not in late.text
    assert not CODE.search(late.text)  # no 查询码 that was never stored
    assert "第六条：&lt;b&gt;同一张表&lt;/b&gt;又报了一次" in late.text  # what was typed is kept
    assert len(store.clues()) == report_server.REPORTS_PER_HOUR


def test_over_the_look_up_limit_the_page_says_so_instead_of_not_found(server):
    base, store, _ = server
    session = requests.Session()
    code = CODE.search(send(base, session, **FORM).text).group(1)
    for _ in range(report_server.LOOKUPS_PER_HOUR):
        assert "待核实" in send(base, session, path="report/status", code=code).text
    late = send(base, session, path="report/status", code=code)
    assert late.status_code == 429 and TOO_MANY_LOOKUPS in late.text
    assert NOT_FOUND not in late.text and "待核实" not in late.text


def test_no_address_reaches_the_database(server):
    base, store, _ = server
    send(base, **FORM, contact_ok="1", contact="电话请打办公室")
    with store.engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            for row in conn.execute(select(table)):
                assert not any("127.0.0.1" in str(v) for v in row)


def test_pages_are_phone_sized_and_locked_down(server):
    base, _, _ = server
    got = requests.get(base + "report", timeout=10)
    assert 'name="viewport"' in got.text and "<script" not in got.text
    assert got.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in got.headers["Content-Security-Policy"]
    assert requests.get(base + "report/other", timeout=10).status_code == 404
    for slashed, bare in (("report/", "report"), ("report/status/", "report/status")):
        moved = requests.get(base + slashed, timeout=10, allow_redirects=False)
        assert moved.status_code == 301 and moved.headers["Location"] == "/" + bare


def test_a_database_failure_shows_a_chinese_page_and_no_traceback(server, monkeypatch):
    base, store, _ = server

    def broken(*args):
        raise RuntimeError("database exploded at /srv/secret.sqlite")

    monkeypatch.setattr(store, "submit", broken)
    sent = send(base, **FORM)
    assert sent.status_code == 500 and "暂时无法处理，请稍后再试" in sent.text
    assert "Traceback" not in sent.text and "secret" not in sent.text


def test_the_rate_limit_forgets_after_its_window():
    from jianfu.clues.ratelimit import RateLimit

    now = [0.0]
    limit = RateLimit(2, 60, clock=lambda: now[0])
    assert [limit.allow("a"), limit.allow("a"), limit.allow("a"), limit.allow("b")] == [
        True,
        True,
        False,
        True,
    ]
    now[0] = 61
    assert limit.allow("a") and list(limit.seen) == ["a"]  # b's old visit is gone


@pytest.mark.parametrize(
    "trusted, peer, header, key",
    [
        (frozenset(), "127.0.0.1", "10.0.0.9", "127.0.0.1"),  # no proxy configured: ignored
        (frozenset({"127.0.0.1"}), "127.0.0.1", "10.0.0.9", "10.0.0.9"),  # nginx says who
        (frozenset({"127.0.0.1"}), "127.0.0.1", "", "127.0.0.1"),
        (frozenset({"127.0.0.1"}), "192.168.1.20", "10.0.0.9", "192.168.1.20"),  # a phone lying
    ],
)
def test_the_client_is_the_connection_unless_a_trusted_proxy_names_it(trusted, peer, header, key):
    from types import SimpleNamespace

    from tornado.httputil import HTTPHeaders

    request = SimpleNamespace(remote_ip=peer, headers=HTTPHeaders({"x-real-ip": header}))
    assert report_server.client_key(request, trusted) == key


@pytest.mark.parametrize(
    "setting, trusted", [("", set()), ("127.0.0.1, ::1", {"127.0.0.1", "::1"})]
)
def test_trusted_proxies_come_from_the_environment(setting, trusted):
    assert report_server.trusted_proxies({report_server.TRUSTED_PROXIES_ENV: setting}) == trusted


def test_a_spoofed_real_ip_does_not_lift_the_limit_without_a_trusted_proxy(server):
    base, store, state = server
    assert state.trusted == frozenset()
    for n in range(report_server.REPORTS_PER_HOUR + 2):
        session = requests.Session()
        session.headers["X-Real-IP"] = f"10.0.0.{n}"
        send(base, session, **FORM)
    assert len(store.clues()) == report_server.REPORTS_PER_HOUR
