"""Rules written once (issue 18): each rule here is the one every page, file and command uses."""

from __future__ import annotations

import subprocess
import sys
import types

import numpy as np
import pandas as pd
import pytest

from jianfu.assess.links import participant_link, session_code
from jianfu.catalog.values import parse_value, stored_values
from jianfu.compare.selection import periods_with_data
from jianfu.dataio.form import default_choice
from jianfu.dataio.sheet_writer import excel_width, table_csv
from jianfu.numbers.format import fraction_as_percent, scaled
from jianfu.server import public
from jianfu.server.kernel import in_kernel
from jianfu.speech.documents import file_name
from jianfu.speech.model import Draft
from jianfu.speech.titles import width as title_width
from jianfu.text.files import safe_file_name
from jianfu.text.width import display_width

# ---- fraction as percent, and any exact conversion ------------------------------------------


@pytest.mark.parametrize(
    ("fraction", "percent"),
    [(0.926, 92.6), (0.07, 7.0), (0.5, 50.0), (1, 100.0), (0.0029, 0.29), (0, 0.0)],
)
def test_a_fraction_is_read_as_its_percent_without_float_noise(fraction, percent):
    assert fraction_as_percent(fraction) == percent  # 0.07 * 100 is 7.000000000000001


def test_fraction_conversion_works_on_a_column_as_on_one_value():
    column = pd.Series([0.926, 0.07, 0.0029])
    assert fraction_as_percent(column).tolist() == [92.6, 7.0, 0.29]
    assert fraction_as_percent(np.array([0.07])).tolist() == [7.0]


@pytest.mark.parametrize(("value", "factor", "result"), [(1.5, 60, 90.0), (0.1, 3, 0.3)])
def test_a_unit_conversion_is_exact(value, factor, result):
    assert scaled(value, factor) == result
    assert scaled(pd.Series([value]), pd.Series([factor])).tolist() == [result]


# ---- whole counts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "value", "stored"),
    [
        ("count", 3.0000000001, 3.0),  # an Excel formula's noise
        ("count", 2.9999999999, 3.0),
        ("duration", 1.5, 1.5),
        ("percent", 92.6, 92.6),
        ("amount", 0.25, 0.25),
    ],
)
def test_counts_are_stored_whole_and_nothing_else_is_rounded(kind, value, stored):
    assert stored_values(pd.Series([kind]), pd.Series([value])).tolist() == [stored]


def test_the_form_and_the_store_keep_the_same_whole_count(catalog, store):
    value, message = parse_value(catalog["doc_count"], "3.0000000001")
    assert (value, message) == (3.0, None)
    row = pd.DataFrame(
        [("甲镇", "2024年", "doc_count", 3.0000000001)],
        columns=["unit", "period", "indicator", "value"],
    )
    store.save_observations(row)
    assert store.values_of("甲镇", "2024年") == {"doc_count": 3.0}


# ---- safe file names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "limit", "stem"),
    [
        ("示例县_2023年-2024年_变化幅度", None, "示例县_2023年-2024年_变化幅度"),
        ('A/B\\C:D*E?"F"<G>|H', None, "A_B_C_D_E_F_G_H"),
        ("两 镇\t合计\n", None, "两_镇_合计"),
        ("..", None, "备用"),
        ("", None, "备用"),
        ("城\u2066关镇", None, "城关镇"),  # invisible characters go, as in names
        ("字" * 59 + ".后", 60, "字" * 59),  # no final dot after cutting short
        ("字" * 70, 60, "字" * 60),
    ],
)
def test_file_names_from_user_text_are_safe(text, limit, stem):
    assert safe_file_name(text, "备用", limit) == stem


def test_a_draft_file_name_never_ends_in_a_dot_or_underscore():
    for title in ("字" * 59 + ".后记", "字" * 59 + " 后记"):
        name = file_name(Draft(title=title), ".docx")
        assert name == "字" * 59 + ".docx"


# ---- display width ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "ambiguous", "width"),
    [
        ("abc 12", 1, 6),
        ("减负", 1, 4),
        ("ＡＢ", 1, 4),  # full-width letters
        ("“减负”", 1, 6),  # curly quotes are ambiguous: narrow in a terminal
        ("“减负”", 2, 8),  # …and wide in a Chinese font
        ("ｶﾅ", 2, 2),  # half-width katakana stay narrow
        (82, 1, 2),
    ],
)
def test_display_width(text, ambiguous, width):
    assert display_width(text, ambiguous) == width


def test_excel_and_the_title_layout_count_chinese_quotes_wide():
    assert excel_width("“减负”") == 8
    assert title_width("“减负”工作 2024") == 8.5  # quotes 1 each, 2024 and the space half


# ---- one CSV writer -----------------------------------------------------------------------


def test_every_csv_is_written_by_one_writer():
    """All data and the self-assessment results: BOM, CRLF, formulas kept as text, exact numbers."""
    data = table_csv(["名称", "数值", "备注"], [["=1+1", 82.0, None], ["甲\x01", 0.1 + 0.2, 3]])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").split("\r\n") == [
        "名称,数值,备注",
        "'=1+1,82,",
        "甲,0.30000000000000004,3",
        "",
    ]


# ---- the participant's address --------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "code", "link"),
    [
        ("http://10.1.2.3:8870", "abc", "http://10.1.2.3:8870/?s=abc"),
        ("http://h/", "abc", "http://h/?s=abc"),
        (" http://h ", None, "http://h/"),
        ("http://h/", "", "http://h/"),
    ],
)
def test_participant_link(base, code, link):
    assert participant_link(base, code) == link


def test_the_server_prints_the_link_the_dashboard_shows_and_the_page_reads():
    printed = public.participant_url("192.0.2.7", 8870, "live-1")
    assert printed == participant_link("http://192.0.2.7:8870", "live-1")
    assert session_code(printed.split("?", 1)[1]) == "live-1"


# ---- inside a kernel or not ---------------------------------------------------------------


def _fake_ipython(shell) -> types.ModuleType:
    module = types.ModuleType("IPython")
    module.get_ipython = lambda: shell
    return module


@pytest.mark.parametrize(
    ("shell", "inside"),
    [
        (types.SimpleNamespace(kernel=object()), True),  # Voila, nbval
        (types.SimpleNamespace(), False),  # a terminal IPython
        (None, False),  # IPython imported, no shell running
    ],
)
def test_in_kernel(monkeypatch, shell, inside):
    monkeypatch.setitem(sys.modules, "IPython", _fake_ipython(shell))
    assert in_kernel() is inside


def test_in_kernel_is_false_in_plain_python_and_imports_no_ipython():
    code = (
        "import sys; from jianfu.server.kernel import in_kernel; "
        "print(in_kernel(), 'IPython' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


# ---- which periods open first ---------------------------------------------------------------

OBS = pd.DataFrame(
    [
        ("甲镇", "2022年", "doc_count", 1.0),
        ("甲镇", "2024年", "doc_count", 2.0),
        ("乙镇", "2023年", "doc_count", 3.0),
    ],
    columns=["unit", "period", "indicator", "value"],
)
PERIODS = ["2021年", "2022年", "2023年", "2024年"]


@pytest.mark.parametrize(
    ("units", "periods"),
    [
        (["甲镇"], ["2022年", "2024年"]),
        (["乙镇"], ["2023年"]),
        (["甲镇", "乙镇"], ["2022年", "2023年", "2024年"]),
        (["丙镇"], []),
    ],
)
def test_periods_with_data_follow_the_period_order(units, periods):
    assert periods_with_data(OBS, units, PERIODS) == periods


def test_the_entry_form_opens_on_the_latest_period_with_data():
    assert default_choice(OBS, ["甲镇", "乙镇"], PERIODS) == ("甲镇", "2024年")
    assert default_choice(OBS, ["丙镇"], PERIODS) == ("丙镇", "2024年")
