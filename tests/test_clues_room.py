"""A room of phones reporting 问题线索 at once, against the real public server (no browser).

60 reporters GET the form together and POST together (tests.support.reporters), each
from its own address as nginx names it (the server trusts X-Real-IP from 127.0.0.1
only because it is started so, like deploy/jianfu.env.example); every report stored
exactly once, 60 distinct 查询码, every look-up answers, no 5xx, no kernel started.
"""

from __future__ import annotations

import json

import httpx
import pytest
import requests

from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.store import AssessStore
from jianfu.clues.model import TRUE
from jianfu.clues.store import ClueStore
from tests.support import room as sim
from tests.support.reporters import (
    CODE,
    PROXY_ENV,
    check_reporters,
    make_reporters,
    run_reporters,
)
from tests.support.servers import start_public_server

pytestmark = pytest.mark.slow

REPORTERS = 60
FORM = load_questionnaire("quick")


def test_sixty_phones_report_at_once_and_each_reads_its_own_status(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'clues.sqlite'}"
    server = start_public_server(tmp_path / "server", db_url, preheat=0, env=PROXY_ENV)
    reporters = make_reporters(REPORTERS, "room")
    try:
        run_reporters(server.url(), reporters)
        log = server.log()
    finally:
        server.stop()
    assert check_reporters(db_url, reporters) == []
    assert "Kernel started" not in log and "Traceback" not in log


ACCOUNT = "原话标记丁四六"
UNIT = "单位标记戊三一"


def test_no_public_page_shows_what_anyone_reported(tmp_path):
    """/ (the gate and the 自评 page with its widgets), /report, /report/status for one's
    own code, another's and a wrong one, /healthz: none carries a report's text."""
    db_url = f"sqlite:///{tmp_path / 'clues.sqlite'}"
    sessions = AssessStore(db_url)
    sessions.create_session("modroom", "现场自评")
    sessions.engine.dispose()
    server = start_public_server(tmp_path / "server", db_url, preheat=0)
    try:
        base = server.url()
        mine = _report(base, f"检查要求每村提供二十张照片。{ACCOUNT}", UNIT)
        other = _report(base, "同一张表一个月报三次", "某县统计局")
        clues = ClueStore(db_url)
        for clue in clues.clues():
            clues.change_status(clue.id, TRUE, "电话核实")
        clues.engine.dispose()
        seen = {
            "gate": requests.get(base, timeout=30).text,
            "assess page": requests.get(
                base + "?s=modroom", cookies={sim.SCRIPT_COOKIE: "1"}, timeout=120
            ).text,
            "assess widgets": sim.run_sync(_widget_states(base)),
            "form": requests.get(base + "report", timeout=30).text,
            "healthz": requests.get(base + "healthz", timeout=30).text,
        }
        for name, code in (("own code", mine), ("other code", other), ("wrong", "AAAA-BBBB-CCCC")):
            seen[name] = _look_up(base, code)
    finally:
        server.stop()
    assert FORM.items[0].text in seen["assess widgets"]  # the 自评 form was there to see
    assert sim.KERNEL_ID.search(seen["assess page"])  # and its page, not the gate
    assert TRUE in seen["own code"] and TRUE in seen["other code"]  # the look-ups answered
    leaks = [name for name, text in seen.items() if ACCOUNT in text or UNIT in text]
    assert leaks == []


def _report(base: str, what: str, unit: str) -> str:
    session = requests.Session()
    session.get(base + "report", timeout=30)
    data = {"category": "督检考", "imposed_by": unit, "what": what}
    sent = session.post(base + "report", data={**data, "_xsrf": session.cookies["_xsrf"]})
    return CODE.search(sent.text).group(1)


def _look_up(base: str, code: str) -> str:
    session = requests.Session()
    session.get(base + "report/status", timeout=30)
    data = {"code": code, "_xsrf": session.cookies["_xsrf"]}
    return session.post(base + "report/status", data=data, timeout=30).text


async def _widget_states(base: str) -> str:
    person = sim.make_room(FORM, 1, sim.Behaviour.instant(), "mod")[0]
    async with httpx.AsyncClient(timeout=120) as client:
        page = await sim.Page.open(client, base, "?s=modroom", person, 120)
        try:
            return json.dumps(page.states, ensure_ascii=False)
        finally:
            await page.close()
