"""Genre skeletons and the phrase bank: shipped files are complete, broken ones named."""

from __future__ import annotations

import pytest
import yaml

from jianfu.phrasebank import FIELDS, PhraseBankError, load_phrasebank, parse_phrasebank
from jianfu.speech.genres import GenreError, load_genre, load_genres, parse_genre

GENRES = ("研讨交流发言", "经验交流材料", "调研报告", "自查报告")
MAIN_AREAS = ("文件", "会议", "督检考", "报表台账", "指尖负担", "关爱赋能")
SMALL_AREAS = ("借调", "权责与属地", "创建示范", "人员下沉")


def test_shipped_genres_load_in_order():
    genres = load_genres()
    assert tuple(genres)[:4] == GENRES
    speech = genres["研讨交流发言"]
    assert speech.limit_minutes == 8
    assert [s.title for s in speech.sections if s.numbered] == [
        "认识体会", "主要做法和成效", "存在的主要问题", "下步打算",
    ]  # fmt: skip
    report = genres["调研报告"]
    assert "对策建议" in [s.title for s in report.sections] and report.signature


@pytest.mark.parametrize("area", MAIN_AREAS)
def test_main_areas_have_ten_of_each(area):
    category = load_phrasebank().category(area)
    for field in FIELDS:
        assert len(getattr(category, field)) >= 10, (area, field)


@pytest.mark.parametrize("area", SMALL_AREAS)
def test_other_areas_have_four_of_each(area):
    category = load_phrasebank().category(area)
    for field in FIELDS:
        assert len(getattr(category, field)) >= 4, (area, field)


def test_phrases_are_not_repeated_and_lists_are_there():
    bank = load_phrasebank()
    phrases = [p for c in bank.categories for f in FIELDS for p in getattr(c, f)]
    assert len(phrases) == len(set(phrases))
    assert "全面贯彻" in bank.slogans and "四个意识" in bank.formulas


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"categories": {"文件": {"measures": "一句"}}}, "类别“文件”：字段“measures”（做法）"),
        ({"categories": {"文件": {"steps": []}}}, "未知字段“steps”"),
        ({"categories": {}, "slogans": [1, 2]}, "字段“slogans”（空话套话）"),
        ({"categories": {}, "extra": []}, "未知的顶层字段“extra”"),
        ([1, 2], "顶层应为“categories:”"),
    ],
)
def test_broken_phrase_bank_names_file_and_field(data, message):
    with pytest.raises(PhraseBankError, match=message) as error:
        parse_phrasebank(data, source="my.yaml")
    assert "my.yaml" in str(error.value)


def _genre(**changes) -> dict:
    data = {
        "name": "测试体裁",
        "title": "{unit}材料",
        "limit": {"minutes": 5},
        "sections": [{"key": "a", "title": "做法", "fill": "measures"}],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "字段“name”应为非空文字"),
        ({"title": "{单位}材料"}, "占位符“{单位}”无效"),
        ({"title": "{unit材料"}, "花括号不成对"),
        ({"limit": {"minutes": -1}}, "limit.minutes"),
        ({"limit": 8}, "字段“limit”"),
        ({"sections": []}, "字段“sections”应为非空列表"),
        ({"sections": [{"key": "a", "fill": "magic"}]}, "第1部分（a）：字段“fill”"),
        ({"sections": [{"key": "a", "field": "slogans", "fill": "phrases"}]}, "字段“field”"),
        ({"sections": [{"key": "a"}, {"key": "a"}]}, "key “a”重复"),
        ({"sections": [{"key": "a", "points": ["x"]}]}, "字段“points”"),
        ({"colour": "red"}, "未知字段“colour”"),
        ({"first_person": "是"}, "字段“first_person”应为 true 或 false"),
        ({"sections": [{"key": "a", "for_problems": 1}]}, "（a）：字段“for_problems”应为 true"),
        ({"title": "{self}{areas}{自称}"}, "占位符“{自称}”无效"),
    ],
)
def test_broken_genre_names_file_and_field(changes, message):
    with pytest.raises(GenreError, match=message) as error:
        parse_genre(_genre(**changes), source="own.yaml")
    assert "own.yaml" in str(error.value)


def test_an_organisation_adds_its_own_genre(tmp_path):
    (tmp_path / "own.yaml").write_text(yaml.safe_dump(_genre(), allow_unicode=True), "utf-8")
    (tmp_path / "bad.yaml").write_text("name: [", "utf-8")
    with pytest.raises(GenreError, match="bad.yaml”第.*行"):
        load_genres(tmp_path)
    (tmp_path / "bad.yaml").unlink()
    assert list(load_genres(tmp_path)) == ["测试体裁"]
    assert load_genre(tmp_path / "own.yaml").fill("{unit}材料", {"unit": "甲镇"}) == "甲镇材料"
