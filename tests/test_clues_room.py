"""A room of phones reporting 问题线索 at once, against the real public server (no browser).

60 reporters GET the form together and POST together (tests.support.reporters), each
from its own address as nginx names it (the server trusts X-Real-IP from 127.0.0.1
only because it is started so, like deploy/jianfu.env.example); every report stored
exactly once, 60 distinct 查询码, every look-up answers, no 5xx, no kernel started.
"""

from __future__ import annotations

import pytest

from tests.support.reporters import PROXY_ENV, check_reporters, make_reporters, run_reporters
from tests.support.servers import start_public_server

pytestmark = pytest.mark.slow

REPORTERS = 60


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
