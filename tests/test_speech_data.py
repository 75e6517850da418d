"""Genre skeletons and the phrase bank: shipped files are complete, broken ones named."""

from __future__ import annotations

import pytest
import yaml

from jianfu.speech.genres import GenreError, load_genre, load_genres, parse_genre
from jianfu.speech.phrasebank import FIELDS, PhraseBankError, load_phrasebank, parse_phrasebank

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
        (
            {"categories": {"文件": {"measures": "一句"}}},
            "类别“文件”：字段“做法”（measures）应为列表",
        ),
        ({"categories": {"文件": {"steps": []}}}, "未知字段“steps”，是不是“next_steps”（打算）？"),
        (
            {"categories": {"文件": {"measures": ["一句", " "]}}},
            "字段“做法”（measures）第2项不能为空",
        ),
        ({"categories": {"文件": {"name": "文件"}}}, "字段“类别名称”（name）不用写"),
        (
            {"categories": {"文件": ["一句"]}},
            "类别“文件”：应为“字段: 值”的映射，可写 headings（小标题）",
        ),
        ({"categories": ["文件"]}, "：字段“类别”（categories）应为“字段: 值”的映射"),
        ({"categories": {}, "slogans": [1, 2]}, "字段“空话套话”（slogans）第1项应为文字"),
        ({"categories": {}, "extra": []}, "：未知字段“extra”，可用字段：categories（类别）"),
        ([1, 2], "顶层应为“字段: 值”的映射，写明 categories（类别）"),
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
        ({"name": ""}, "字段“体裁名称”（name）不能为空"),
        ({"title": "{单位}材料"}, "占位符“{单位}”无效"),
        ({"title": "{unit材料"}, "花括号不成对"),
        ({"limit": {"minutes": -1}}, "篇幅限制（limit）：字段“限时（分钟）”（minutes）应为正数"),
        ({"limit": {"chars": 2.5}}, "字段“字数限制”（chars）应为正整数"),
        ({"limit": 8}, "字段“篇幅限制”（limit）应为“字段: 值”的映射，可写 minutes"),
        ({"sections": []}, "字段“各部分”（sections）至少要有一项"),
        (
            {"sections": [{"key": "a", "fill": "magic"}]},
            "第1部分（a）：字段“填充方式”（fill）的值“magic”无效",
        ),
        (
            {"sections": [{"key": "a", "field": "slogans", "fill": "phrases"}]},
            "字段“短语库字段”（field）",
        ),
        ({"sections": [{"key": "a"}, {"key": "a"}]}, "第2部分（a）：字段“代号”（key）“a”重复"),
        ({"sections": [{"key": "a", "points": ["x"]}]}, "第1部分（a）第1点：应为“字段: 值”的映射"),
        ({"colour": "red"}, "未知字段“colour”"),
        ({"ocasion": "会"}, "未知字段“ocasion”，是不是“occasion”（场合）？"),
        ({"source": "x.yaml"}, "字段“文件名”（source）由程序填写"),
        ({"first_person": "是"}, "字段“第一人称”（first_person）应为 true 或 false，现为“是”"),
        (
            {"sections": [{"key": "a", "for_problems": 1}]},
            "（a）：字段“只为有问题的方面选取”（for_problems）应为 true",
        ),
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
