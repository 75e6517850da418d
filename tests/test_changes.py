"""One comparison of new against stored values: the preview says what the save does."""

import math

import pandas as pd
import pytest

from jianfu.dataio.preview import counts_text
from jianfu.store.changes import DIFF_COLUMNS, counts, diff, expected_values

COLUMNS = ["unit", "period", "indicator", "value", "note", "updated_at"]


def stored(rows: list[tuple]) -> pd.DataFrame:
    full = [(*r, "")[:5] + (pd.Timestamp("2024-01-01", tz="UTC"),) for r in rows]
    return pd.DataFrame(full, columns=COLUMNS)


def incoming(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame([(*r, "")[:5] for r in rows], columns=COLUMNS[:5])


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # new, changed, unchanged; float noise is not a change
        (
            [("甲", "2023年", "doc_count", 5.0), ("甲", "2023年", "meeting_count", 3.0),
             ("甲", "2023年", "total_police", 0.3)],
            [("甲", "2023年", "doc_count", 5.0), ("甲", "2023年", "meeting_count", 4.0),
             ("甲", "2023年", "total_police", 0.1 + 0.2), ("甲", "2024年", "doc_count", 2.0)],
            ["不变", "修改", "不变", "新增"],
        ),
        # a stored zero replaced by a value is a change, not new
        ([("甲", "2023年", "doc_count", 0.0)], [("甲", "2023年", "doc_count", 7.0)], ["修改"]),
        # a value that differs only in the 7th decimal is a change (no rounding in the diff)
        (
            [("甲", "2023年", "doc_avg_chars", 45.123456)],
            [("甲", "2023年", "doc_avg_chars", 45.1235)],
            ["修改"],
        ),
        # a changed note alone is a change ...
        (
            [("甲", "2023年", "doc_count", 5.0, "旧备注")],
            [("甲", "2023年", "doc_count", 5.0, "新备注")],
            ["修改"],
        ),
        # ... but an empty note keeps the stored one
        ([("甲", "2023年", "doc_count", 5.0, "旧备注")], [("甲", "2023年", "doc_count", 5.0)], ["不变"]),
        # nothing stored yet
        ([], [("甲", "2023年", "doc_count", 0.0)], ["新增"]),
    ],
)  # fmt: skip
def test_diff_statuses(old, new, expected):
    changes = diff(incoming(new), stored(old))
    assert list(changes.columns) == DIFF_COLUMNS
    assert changes["status"].tolist() == expected


def test_diff_keeps_the_stored_note_when_none_is_given():
    changes = diff(
        incoming([("甲", "2023年", "doc_count", 6.0)]),
        stored([("甲", "2023年", "doc_count", 5.0, "口径说明")]),
    )
    assert changes.loc[0, ["status", "note", "old_value"]].tolist() == ["修改", "口径说明", 5.0]


def test_counts_has_every_status():
    assert counts(diff(incoming([]), stored([]))) == {"新增": 0, "修改": 0, "不变": 0}


def test_expected_values_are_what_the_preview_showed_stored():
    changes = diff(
        incoming([("甲镇", "2024年", "doc", 3), ("甲镇", "2024年", "meet", 7)]),
        stored([("甲镇", "2024年", "doc", 5)]),
    )
    expected = expected_values(changes)
    assert list(expected) == [("甲镇", "2024年", "doc"), ("甲镇", "2024年", "meet")]
    assert expected[("甲镇", "2024年", "doc")] == 5
    assert math.isnan(expected[("甲镇", "2024年", "meet")])  # nothing stored yet


@pytest.mark.parametrize(
    ("new", "text"),
    [
        ([], "新增0项，修改0项，不变0项"),
        ([("甲镇", "2024年", "doc", 5), ("甲镇", "2024年", "x", 1)], "新增1项，修改0项，不变1项"),
        ([("甲镇", "2024年", "doc", 6)], "新增0项，修改1项，不变0项"),
    ],
)
def test_the_import_summary_is_one_sentence_for_page_and_command_line(new, text):
    changes = diff(incoming(new), stored([("甲镇", "2024年", "doc", 5)]))
    assert counts_text(changes) == text
