"""Catalog loading and validation: every broken entry is named with its field."""

import pytest

from jianfu.catalog import CATEGORIES, load_catalog, parse_catalog
from jianfu.errors import CatalogError

GOOD = {
    "code": "doc_count",
    "name": "发文数量",
    "category": "文件",
    "measure": "件",
    "direction": "越少越好",
    "kind": "count",
}


def test_shipped_catalog_loads_and_covers_every_category(catalog):
    assert {i.category for i in catalog} == set(CATEGORIES)
    assert len(catalog) >= 30


@pytest.mark.parametrize(
    "code",
    [
        # the RULES.md table
        "doc_count",
        "doc_unnumbered",
        "doc_avg_chars",
        "meeting_count",
        "speech_main_minutes",
        "speech_exchange_minutes",
        "meeting_video_share",
        "inspection_items",
        "inspection_visits",
        "report_forms",
        "report_frequency",
        "gov_apps",
        "app_checkin_features",
        "work_groups",
        "seconded_staff",
        "veto_items",
        "responsibility_letters",
        "frontline_police_share",
        "station_police_share",
        "local_gov_apps",
        "problems_solved",
        "satisfaction_rate",
        # what the seed figures need
        "community_police_ledgers",
        "police_stations",
        "frontline_police",
        "total_police",
        "inspection_escort",
        "archive_volumes",
    ],
)
def test_catalog_has_indicator(catalog, code):
    assert code in catalog


def test_ratio_is_defined_by_parts(catalog):
    share = catalog["frontline_police_share"]
    assert (share.numerator, share.denominator, share.aggregate) == (
        "frontline_police",
        "total_police",
        "ratio",
    )
    assert not share.entered and share.is_rate


def test_thresholds_carry_level_and_source(catalog):
    speech = catalog["speech_main_minutes"]
    assert [(t.rule, t.value, t.level) for t in speech.thresholds][0] == ("max", 60.0, "中央")
    assert all(t.source for i in catalog for t in i.thresholds)


def test_sources_shown_to_users_name_no_internal_material(catalog):
    sources = [t.source for i in catalog for t in i.thresholds]
    assert not [s for s in sources if "种子" in s or "seed" in s.lower() or ".md" in s]
    assert "某局机关精简会议的做法（公开交流材料）" in sources


@pytest.mark.parametrize(
    "code, rule, value",
    [
        # each threshold belongs to the measure its source names
        ("station_police_share", "min", 40.0),  # 派出所警力占比 ≥ 40%
        ("local_gov_apps", "max", 0.0),  # 县级以下原则上不自建
        ("gov_apps", "not_above_previous", None),  # 面向基层的: cleaned up, only down
        ("seconded_staff", "max", 0.0),  # 原则上不得借调
    ],
)
def test_thresholds_sit_on_the_measure_their_source_names(catalog, code, rule, value):
    assert [(t.rule, t.value) for t in catalog[code].thresholds] == [(rule, value)]


def test_the_forty_percent_rule_is_not_on_the_frontline_share(catalog):
    assert catalog["frontline_police_share"].thresholds == ()


def test_zero_rules_are_quoted_in_their_own_words(catalog):
    [rule] = catalog["seconded_staff"].thresholds
    assert rule.text == "上级机关原则上不得从县级以下借调干部"


@pytest.mark.parametrize(
    "match, expected",
    [
        ("发文数量", "doc_count"),
        ("doc_count", "doc_count"),
        ("发文数量（件）", "doc_count"),
        (" 一线实战部门警力占比(%) ", "frontline_police_share"),
        ("派出所警力占比（%）", "station_police_share"),
        ("不存在", None),
    ],
)
def test_match_header(catalog, match, expected):
    found = catalog.match(match)
    assert (found.code if found else None) == expected


@pytest.mark.parametrize(
    "change, message",
    [
        # missing, wrong choice, wrong pattern: entry and field named
        ({"name": None}, "第1项（doc_count）：缺少字段“指标名称”（name）"),
        ({"name": " "}, "第1项（doc_count）：字段“指标名称”（name）不能为空"),
        ({"category": "其它"}, "字段“类别”（category）的值“其它”无效，应为：文件、会议"),
        ({"direction": "越低越好"}, "字段“方向”（direction）的值“越低越好”无效"),
        ({"kind": "ratio"}, "比例（ratio）类型必须填写字段“分子”（numerator）"),
        ({"code": "Doc-Count"}, "第1项（Doc-Count）：字段“指标代码”（code）只能用小写英文字母"),
        # wrong types: no guessing that “五千” or "3" is a number
        ({"aliases": "旧名"}, "字段“别名”（aliases）应为列表，现为“旧名”"),
        ({"name": 2024}, "字段“指标名称”（name）应为文字，现为“2024”"),
        ({"thresholds": {"rule": "max"}}, "字段“预警规则”（thresholds）应为列表"),
        (
            {"thresholds": [{"rule": "max", "value": "五千", "level": "中央", "source": "x"}]},
            "第1项（doc_count）预警规则第1条：字段“阈值”（value）应为数字，现为“五千”",
        ),
        (
            {"thresholds": [{"rule": "max", "level": "中央", "source": "x"}]},
            "预警规则第1条：规则“max”（不超过）须填写字段“阈值”（value）",
        ),
        (
            {"thresholds": [{"rule": "max", "value": 1, "level": "国家", "source": "x"}]},
            "字段“级别”（level）的值“国家”无效，应为：中央、省、地方、示例",
        ),
        (
            {"thresholds": [{"rule": "max", "value": 1, "level": "中央"}]},
            "缺少字段“出处”（source）",
        ),
        ({"thresholds": ["max 60"]}, "预警规则第1条：应为“字段: 值”的映射，写明 rule（规则）"),
        # a typo in a key is an error naming the key and the one meant
        ({"weigth": "doc_count"}, "未知字段“weigth”，是不是“weight”（权数）？"),
        ({"colour": "red"}, "未知字段“colour”，可用字段：code（指标代码）"),
        # set by the program, not by the file
        ({"custom": True}, "字段“自定义”（custom）由程序填写，文件中不要写"),
    ],
)
def test_broken_entry_is_named(change, message):
    entry = {**GOOD, **change}
    with pytest.raises(CatalogError) as err:
        parse_catalog({"indicators": [entry]}, source="indicators.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("指标目录“indicators.yaml”第1项")


def test_every_problem_is_reported_not_only_the_first():
    bad = [{**GOOD, "name": None}, {**GOOD, "code": "b", "name": "乙", "kind": "x"}]
    with pytest.raises(CatalogError) as err:
        parse_catalog({"indicators": bad})
    assert "第1项" in str(err.value) and "第2项" in str(err.value)


def _ratio(code, numerator, denominator, **extra):
    return {**GOOD, "code": code, "name": code, "kind": "ratio", "measure": "%",
            "numerator": numerator, "denominator": denominator, **extra}  # fmt: skip


def test_duplicates_and_dangling_ratio_parts():
    entries = [GOOD, {**GOOD, "name": "别名"}, _ratio("share", "doc_count", "nothing")]
    with pytest.raises(CatalogError) as err:
        parse_catalog({"indicators": entries})
    lines = str(err.value).splitlines()
    assert "第2项（doc_count）：字段“指标代码”（code）“doc_count”重复（与第1项相同）" in lines[0]
    assert "第3项（share）：字段“分母”（denominator）“nothing”不存在" in lines[1]


@pytest.mark.parametrize(
    "entries, message",
    [
        # a ratio's parts are counts, and two different ones
        (
            [GOOD, {**GOOD, "code": "hours", "name": "时长", "kind": "duration"},
             _ratio("share", "hours", "doc_count")],
            "第3项（share）：字段“分子”（numerator）“hours”必须是计数类指标（count），而它是时长类",
        ),
        ([GOOD, _ratio("share", "doc_count", "doc_count")], "分子和分母不能是同一个指标"),
        ([GOOD, {**GOOD, "code": "b"}], "第2项（b）：字段“指标名称”（name）“发文数量”重复"),
    ],
)  # fmt: skip
def test_rules_between_entries(entries, message):
    with pytest.raises(CatalogError, match=message):
        parse_catalog({"indicators": entries})


def test_rules_between_entries_are_checked_beside_a_broken_entry():
    """A broken entry and a duplicate elsewhere are both reported at once; a part that
    is itself broken is not called missing."""
    entries = [
        GOOD,
        {**GOOD, "name": "别名"},  # duplicate code
        {**GOOD, "code": "video", "name": "视频会议", "category": "其它"},  # broken itself
        _ratio("share", "video", "doc_count"),
    ]
    with pytest.raises(CatalogError) as err:
        parse_catalog({"indicators": entries}, source="mine.yaml")
    lines = str(err.value).splitlines()
    assert lines == [  # in the order of the file
        "指标目录“mine.yaml”第2项（doc_count）：字段“指标代码”（code）“doc_count”重复（与第1项相同）",
        "指标目录“mine.yaml”第3项（video）：字段“类别”（category）的值“其它”无效，应为："
        "文件、会议、督检考、报表台账、指尖负担、借调、人员下沉、关爱赋能、成效",
    ]


@pytest.mark.parametrize(
    "text, message",
    [
        ("indicators:\n  - code: a\n    name: b\n   kind: c\n", "第4行第4列"),
        ("just a string", "顶层应为“字段: 值”的映射，写明 indicators（指标）"),
        ("", "顶层应为“字段: 值”的映射，写明 indicators（指标）"),
        ("indicators: []\nindicator: []\n", "未知字段“indicator”，是不是“indicators”（指标）？"),
    ],
)
def test_broken_yaml_file(tmp_path, text, message):
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as err:
        load_catalog(path)
    assert message in str(err.value)


def test_missing_and_non_utf8_file(tmp_path):
    with pytest.raises(CatalogError, match="找不到指标目录文件"):
        load_catalog(tmp_path / "none.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("indicators: []  # 中文".encode("gbk"))
    with pytest.raises(CatalogError, match="不是UTF-8编码"):
        load_catalog(path)
