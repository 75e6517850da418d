"""The whole public server on PostgreSQL: a 问题线索 reported and looked up, a 自评 answered,
each by protocol (no browser), and the rows read back from PostgreSQL itself."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.store import AssessStore
from tests.support import room as sim
from tests.support.reporters import PROXY_ENV, check_reporters, make_reporters, run_reporters
from tests.support.servers import start_public_server

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

FORM = load_questionnaire("quick")


def test_the_public_server_on_postgresql_takes_a_report_and_a_self_assessment(
    tmp_path, pg_url, pg_admin
):
    store = AssessStore(pg_url)
    store.create_session("pgroom", "PostgreSQL 场次")
    store.engine.dispose()
    reporters = make_reporters(3, "pg")
    room = sim.make_room(FORM, 1, sim.Behaviour.instant(), "pg")
    server = start_public_server(tmp_path, pg_url, preheat=0, env=PROXY_ENV)
    try:
        run_reporters(server.url(), reporters)
        sim.run_sync(sim.run_room(server.url(), "pgroom", FORM, room, sim.Behaviour.instant()))
        log = server.log()
    finally:
        server.stop()
    assert check_reporters(pg_url, reporters) == []  # stored once, codes distinct, looked up
    tally = sim.check_room(pg_url, "pgroom", FORM, room)
    assert tally.ok, tally.problems
    assert "Traceback" not in log
    schema = parse_qs(urlsplit(pg_url).query)["application_name"][0]
    rows = pg_admin.execute(f"SELECT what, status, received_on FROM {schema}.clues").fetchall()
    assert [sum(p.marker in r[0] for r in rows) for p in reporters] == [1, 1, 1]
    assert {r[1] for r in rows} == {"待核实"}
    every = pg_admin.execute(f"SELECT * FROM {schema}.clues").fetchall()
    assert not any(p.address in str(row) for row in every for p in reporters)  # no address
    submitted = pg_admin.execute(
        f"SELECT count(*) FROM {schema}.assess_submissions WHERE submitted"
    ).fetchone()
    assert submitted == (1,)
