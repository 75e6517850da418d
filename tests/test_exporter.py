"""export_xlsx / export_csv: Excel-friendly, formula-safe, and re-importable."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from jianfu.catalog import load_catalog
from jianfu.dataio.all_data import LONG_COLUMNS, export_csv, export_frame, export_xlsx
from jianfu.dataio.importer import import_file
from jianfu.text.formula import cell_safe

CATALOG = load_catalog()

OBS = pd.DataFrame(
    {
        "unit": ["区委组织部", "区委组织部", "分局", "分局"],
        "period": ["2019年", "2019年", "改革前", "改革前"],
        "indicator": ["meeting_count", "doc_count", "total_police", "satisfaction_rate"],
        "value": [12.0, 82.0, 407.0, 92.6],
        "note": ["", "含便笺", "", ""],
    }
)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel and WPS detect UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[c.value for c in row] for row in ws.iter_rows()]


# --- layout ----------------------------------------------------------------------------
def test_long_csv_rows():
    rows = read_csv(export_csv(OBS, CATALOG))
    assert rows == [
        LONG_COLUMNS,
        # indicators in catalog order within a unit and period
        ["区委组织部", "2019年", "发文数量", "doc_count", "件", "82", "含便笺", "", ""],
        ["区委组织部", "2019年", "会议数量", "meeting_count", "次", "12", "", "", ""],
        ["分局", "改革前", "总警力", "total_police", "人", "407", "", "", ""],
        ["分局", "改革前", "干部对减负成效满意率", "satisfaction_rate", "%", "92.6", "", "", ""],
    ]
    assert b"\r\n" in export_csv(OBS, CATALOG)


def test_long_xlsx_rows_keep_numbers():
    rows = read_xlsx(export_xlsx(OBS, CATALOG))
    assert rows[0] == LONG_COLUMNS
    assert rows[1] == [
        "区委组织部",
        "2019年",
        "发文数量",
        "doc_count",
        "件",
        82,
        "含便笺",
        None,
        None,
    ]
    assert [r[5] for r in rows[1:]] == [82, 12, 407, 92.6]


def test_source_and_updated_at_are_written_when_present():
    obs = OBS.head(1).assign(source="导入：a.xlsx", updated_at=datetime(2024, 5, 6, 7, 8, 9))
    assert read_csv(export_csv(obs, CATALOG))[1][-2:] == ["导入：a.xlsx", "2024-05-06 07:08:09"]


def test_wide_export():
    frame = export_frame(OBS, CATALOG, layout="wide")
    # indicator columns in catalog order, whatever order the data came in
    assert list(frame.columns) == [
        "单位",
        "时期",
        "发文数量（件）",
        "会议数量（次）",
        "总警力（人）",
        "干部对减负成效满意率（%）",
    ]
    rows = read_csv(export_csv(OBS, CATALOG, layout="wide"))
    assert rows[1:] == [
        ["区委组织部", "2019年", "82", "12", "", ""],
        ["分局", "改革前", "", "", "407", "92.6"],
    ]


def test_wide_columns_follow_the_catalog_not_the_data():
    obs = pd.DataFrame(
        {
            "unit": ["甲", "乙"],
            "period": ["2023年", "2023年"],
            "indicator": ["meeting_count", "doc_count"],
            "value": [1.0, 2.0],
        }
    )
    assert list(export_frame(obs, CATALOG, layout="wide").columns) == [
        "单位",
        "时期",
        "发文数量（件）",
        "会议数量（次）",
    ]


def test_unknown_code_is_written_as_is():
    obs = pd.DataFrame(
        {"unit": ["甲"], "period": ["2023年"], "indicator": ["my_custom"], "value": [1.0]}
    )
    assert read_csv(export_csv(obs, CATALOG))[1][2:5] == ["my_custom", "my_custom", ""]


def test_empty_export_has_headers_only():
    empty = OBS.iloc[0:0]
    assert read_csv(export_csv(empty, CATALOG)) == [LONG_COLUMNS]
    assert read_xlsx(export_xlsx(empty, CATALOG)) == [LONG_COLUMNS]


# --- round trips -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "export, name, layout",
    [
        (export_csv, "out.csv", "long"),
        (export_xlsx, "out.xlsx", "long"),
        (export_csv, "out.csv", "wide"),
        (export_xlsx, "out.xlsx", "wide"),
    ],
)
def test_export_reimports(export, name, layout):
    tricky = pd.concat(
        [
            OBS,
            pd.DataFrame(
                {
                    "unit": ['=HYPERLINK("http://x","点我")', "-1 中队"],
                    "period": ["2023年", "+2024年"],
                    "indicator": ["doc_count", "doc_count"],
                    "value": [1.0, 2.0],
                    "note": ["@某人", ""],
                }
            ),
        ],
        ignore_index=True,
    )
    result = import_file(export(tricky, CATALOG, layout=layout), name, CATALOG)
    assert result.layout == layout
    key = ["unit", "period", "indicator"]
    got = result.observations.sort_values(key).reset_index(drop=True)
    want = tricky.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got[key + ["value"]], want[key + ["value"]], check_dtype=False)
    if layout == "long":
        assert list(got["note"]) == list(want["note"])


# --- formulas stay inert ---------------------------------------------------------------
@pytest.mark.parametrize(
    "text, written",
    [
        ('=HYPERLINK("http://evil","点我")', '\'=HYPERLINK("http://evil","点我")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("城关镇", "城关镇"),
        (" =1", " =1"),  # a leading space already makes it text
        (5.0, 5.0),
        (-3.0, -3.0),  # numbers are never touched
    ],
)
def test_neutralise(text, written):
    assert cell_safe(text) == written


BAD = '=HYPERLINK("http://evil","点我")'


def evil_obs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit": [BAD, "乙"],
            "period": ["2023年", "-2023年"],
            "indicator": ["doc_count", "doc_count"],
            "value": [1.0, -3.0],
            "note": ["+cmd|' /C calc'!A0", ""],
        }
    )


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers():
    data = export_xlsx(evil_obs(), CATALOG)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert (ws["A2"].value, ws["A2"].data_type) == ("'" + BAD, "s")
    assert (ws["G2"].value, ws["G2"].data_type) == ("'+cmd|' /C calc'!A0", "s")
    assert (ws["B3"].value, ws["B3"].data_type) == ("'-2023年", "s")
    assert (ws["F3"].value, ws["F3"].data_type) == (-3, "n")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet


def test_csv_text_is_prefixed_and_numbers_are_not():
    rows = read_csv(export_csv(evil_obs(), CATALOG))
    assert rows[1][0] == "'" + BAD
    assert rows[1][6] == "'+cmd|' /C calc'!A0"
    assert rows[2][1] == "'-2023年"
    assert rows[2][5] == "-3"


def test_update_time_is_shown_in_local_time(monkeypatch):
    import time

    import pandas as pd

    from jianfu.dataio.sheet_writer import text_of

    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert text_of(pd.Timestamp("2024-01-01 00:00", tz="UTC")) == "2024-01-01 08:00:00"
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("export, name", [(export_csv, "out.csv"), (export_xlsx, "out.xlsx")])
def test_export_then_import_changes_nothing_in_the_store(demo_store, export, name):
    """Values that do not round nicely come back exactly: the re-import is all 不变."""
    demo_store.save_observations(
        pd.DataFrame(
            {
                "unit": ["示例县城关镇", "示例县城关镇", "示例县青山镇"],
                "period": ["2024年", "2024年", "2024年"],
                "indicator": ["doc_avg_chars", "meeting_minutes", "satisfaction_rate"],
                "value": [45.123456, 0.1 + 0.2, 33.333333333333336],
                "note": ["口径：平均值", "", ""],
            }
        )
    )
    data = export(demo_store.observations(), demo_store.catalog())
    back = import_file(data, name, demo_store.catalog()).observations
    assert len(back) == len(demo_store.observations())
    assert set(demo_store.preview(back)["status"]) == {"不变"}
    saved = demo_store.save_observations(back)
    assert (saved.added, saved.changed) == (0, 0)
