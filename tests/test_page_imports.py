"""Pages light at start (issue 18 step 6): building a page's first screen imports only what
that screen needs. Charts (altair, vl-convert), Word export (python-docx, lxml), spreadsheet
export (openpyxl) and Traditional script (OpenCC) load on first use; the dashboard and the
participant page do without pandas and numpy too.

Each page is built in a fresh interpreter on a copy of the demo database, the way its
notebook builds it (``from_default_store``).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support.demo import copy_demo

pytestmark = pytest.mark.slow  # a fresh interpreter per page: ~5 s each

ON_USE = ("altair", "vl_convert", "docx", "lxml", "openpyxl", "opencc")
WITHOUT_PANDAS = (*ON_USE, "pandas", "numpy")


@pytest.mark.parametrize(
    ("module", "app", "not_loaded"),
    [
        ("entry", "EntryApp", ON_USE),
        ("compare", "CompareApp", ON_USE),  # its first chart is drawn after, in a thread
        ("draft", "DraftApp", ON_USE),
        ("dashboard", "DashboardApp", WITHOUT_PANDAS),
        ("collect", "CollectApp", ON_USE),
        ("registers", "RegisterPage", ON_USE),
        ("clues", "ClueBoard", ON_USE),  # its notice (Word) is made on 起草通报
        ("landing", "LandingPage", WITHOUT_PANDAS),
    ],
)
def test_building_a_page_loads_no_library_its_first_screen_does_not_need(
    module, app, not_loaded, demo_db_file, tmp_path
):
    build = "LandingPage()" if app == "LandingPage" else f"{app}.from_default_store()"
    code = (
        f"import sys\nfrom jianfu_widgets.{module} import {app}\npage = {build}\n"
        f"print(sorted(m for m in {not_loaded!r} if m in sys.modules))"
    )
    env = dict(os.environ, JIANFU_DB_URL=copy_demo(demo_db_file, tmp_path))
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
