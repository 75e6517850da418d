"""The form model and single-value parsing shared by the 录入 form."""

import pytest

from jianfu.catalog.values import parse_value, parse_values
from jianfu.dataio.form import read_form, saved_table

CASES = [
    # accepted, forgivingly
    ("doc_count", "82", (82.0, None)),
    ("doc_count", "８２", (82.0, None)),
    ("doc_count", " 1,234 ", (1234.0, None)),
    ("doc_count", "82件", (82.0, None)),
    ("satisfaction_rate", "92.6%", (92.6, None)),
    ("doc_avg_chars", 4200.5, (4200.5, None)),
    ("doc_count", 0, (0.0, None)),
    # empty means no value
    ("doc_count", "", (None, None)),
    ("doc_count", "  ", (None, None)),
    ("doc_count", None, (None, None)),
    # refused, with the reason
    # refused, with the reason: the same words as the importer and the store
    ("doc_count", "八十二", (None, "数值应为数字，而不是“八十二”")),
    ("doc_count", "-3", (None, "数值不能为负数（填写的是“-3”）")),
    ("doc_count", "2.5", (None, "计数类指标应填写整数，而不是“2.5”")),
    ("satisfaction_rate", "120", (None, "百分比应在0到100之间，而不是“120”")),
    ("frontline_police_share", "92.6", (None, "由分子分母计算得出，无需填写")),
    ("doc_count", "inf", (None, "数值应为数字，而不是“inf”")),
    ("doc_count", True, (None, "数值应为数字，而不是“True”")),
    ("doc_count", "1e26", (None, "数值过大（“1e26”），请检查是否多填了位数")),
    ("meeting_count", "82件", (None, "数值应为数字，而不是“82件”")),  # another field's measure
]


@pytest.mark.parametrize("code, raw, expected", CASES)
def test_parse_value(catalog, code, raw, expected):
    assert parse_value(catalog[code], raw) == expected


def test_a_whole_form_is_read_in_one_pass_with_the_same_answers(catalog):
    """The form reads all its fields in one vectorised pass; each answer is the field's own."""
    indicators = [catalog[code] for code, _, _ in CASES]
    assert parse_values(indicators, [raw for _, raw, _ in CASES]) == [e for _, _, e in CASES]


def test_read_form_reports_every_bad_field(catalog):
    result = read_form(
        catalog,
        "甲镇",
        "2024年",
        {"doc_count": "30", "meeting_count": "abc", "work_groups": "-1", "gov_apps": ""},
    )
    assert not result.ok
    assert set(result.errors) == {"meeting_count", "work_groups"}
    assert result.rows.values.tolist() == [["甲镇", "2024年", "doc_count", 30.0]]
    assert result.cleared == ("gov_apps",)


def test_read_form_needs_unit_and_period(catalog):
    result = read_form(catalog, "", " ", {"doc_count": "1"})
    assert result.errors == {"unit": "请选择或新增单位", "period": "请选择或新增时期"}


def test_saved_table_puts_periods_side_by_side_with_ratios(demo_store, catalog):
    table = saved_table(demo_store.observations(), catalog, "公安分局", demo_store.periods())
    assert list(table.columns) == ["类别", "指标", "计量单位", "改革前", "改革后"]
    share = table[table["指标"] == "一线实战部门警力占比"].iloc[0]
    assert round(share["改革后"], 1) == 92.6  # 377 / 407
    ledgers = table[table["指标"] == "社区民警工作台账种类"].iloc[0]
    assert (ledgers["改革前"], ledgers["改革后"]) == (16, 10)


def test_saved_table_for_unknown_unit_is_empty(demo_store, catalog):
    assert saved_table(demo_store.observations(), catalog, "无此单位", demo_store.periods()).empty
