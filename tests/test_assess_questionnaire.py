"""Questionnaire files: the shipped forms are valid, and broken ones are reported precisely."""

from __future__ import annotations

import copy

import pytest
import yaml

from jianfu.assess.questionnaire import (
    BUILTIN,
    QUESTIONNAIRES,
    QuestionnaireError,
    load_questionnaire,
    parse_questionnaire,
)
from jianfu.speech.phrasebank import load_phrasebank

AREAS = {"文件", "会议", "督检考", "借调", "指尖负担", "权责与属地", "创建示范", "关爱赋能"}


@pytest.fixture(scope="module")
def quick_data():
    return yaml.safe_load((QUESTIONNAIRES / "quick.yaml").read_text(encoding="utf-8"))


def test_quick_form_fits_two_minutes_on_a_phone():
    form = load_questionnaire("quick")
    rated = len(form.items) + 1  # the 0–10 overall item
    assert 10 <= rated <= 12
    assert form.problems and form.comment and form.overall.required
    assert form.role.ask and form.role.options == ("机关", "基层")
    assert not form.unit.ask


def test_full_form_covers_at_least_six_dimensions_with_24_items():
    form = load_questionnaire("full")
    assert len(form.burden_items) >= 24
    assert len({i.dimension for i in form.burden_items}) >= 6
    assert form.gain_items


@pytest.mark.parametrize("key", BUILTIN)
def test_dimensions_follow_the_2024_rules_and_name_phrase_bank_categories(key):
    form = load_questionnaire(key)
    assert {d.category for d in form.dimensions} == AREAS
    assert len(form.scale.labels) == 5 and form.unknown_label == "不清楚（不计分）"


def test_phrase_bank_categories_exist_for_suggestions():
    bank = load_phrasebank()
    form = load_questionnaire("quick")
    missing = [d.category for d in form.dimensions if not bank.category(d.category).next_steps]
    assert missing == []


def _broken(data, path, value):
    data = copy.deepcopy(data)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        # top level
        (("title",), _DELETE, "问卷“quick.yaml”：缺少字段“标题”（title）"),
        (("colour",), "red", "未知字段“colour”，可用字段：key（问卷代码）、title（标题）"),
        (("itmes",), [], "未知字段“itmes”，是不是“items”（题目）？"),
        (("key",), "Quick Form", "字段“问卷代码”（key）只能用小写英文字母"),
        (
            ("minutes",),
            "两分钟",
            "字段“作答时间（分钟）”（minutes）应为1到120之间的整数，现为“两分钟”",
        ),
        (("minutes",), 2.5, "应为1到120之间的整数，现为“2.5”"),
        # the scale
        (
            ("scale", "labels"),
            ["是", "否"],
            "量表（scale）：字段“量表选项”（labels）应有5项，现有2项",
        ),
        (("scale", "unknown"), "", "量表（scale）：字段“不清楚选项”（unknown）不能为空"),
        (("scale", "unknown"), _DELETE, "量表（scale）：缺少字段“不清楚选项”（unknown）"),
        (
            ("levels",),
            [{"min": 40, "label": "重"}, {"min": 80, "label": "轻"}],
            "应按最低分从高到低排列",
        ),
        # dimensions
        (("dimensions", 0, "key"), "Docs!", "维度第1项（文件）：字段“维度代码”（key）只能用"),
        (("dimensions", 1, "key"), "docs", "维度代码“docs”重复"),
        # items: each message names the item and the field
        (
            ("items", 2, "dimension"),
            "money",
            "第3题（q03）：字段“所属维度”（dimension）“money”不在 dimensions 中，应为：docs、",
        ),
        (("items", 0, "text"), "", "第1题（q01）：字段“题干”（text）不能为空"),
        (
            ("items", 4, "kind"),
            "reverse",
            "第5题（q05）：字段“题目类型”（kind）的值“reverse”无效，应为：burden（负担）、gain（获得感）",
        ),
        (
            ("items", 1, "required"),
            "yes",
            "第2题（q02）：字段“必答”（required）应为 true 或 false，现为“yes”",
        ),
        (("items", 1, "id"), "q01", "第2题（q01）：题目代码“q01”重复"),
        (("items", 6, "weight"), 2, "第7题（q07）：未知字段“weight”"),
        (
            ("items", 6, "dimention"),
            "docs",
            "第7题（q07）：未知字段“dimention”，是不是“dimension”（所属维度）？",
        ),
        # the other questions
        (("overall",), _DELETE, "缺少字段“总体负担题”（overall）"),
        (("overall", "high"), None, "总体负担题（overall）：缺少字段“10分的含义”（high）"),
        (
            ("problems", "options"),
            [{"id": "only", "text": "只有一项"}],
            "最突出的问题（problems）：字段“选项”（options）至少要有2项",
        ),
        (("problems", "max_choices"), 30, "字段“最多可选”（max_choices）应为1到10之间的整数"),
        (
            ("comment", "max_length"),
            5,
            "意见建议（comment）：字段“最多字数”（max_length）应为10到2000之间的整数",
        ),
        (
            ("fields", "role", "ask"),
            "maybe",
            "岗位类别（fields.role）：字段“是否询问”（ask）应为 true 或 false，现为“maybe”",
        ),
        (
            ("fields", "team"),
            {},
            "作答人信息（fields）：未知字段“team”，可用字段：role（岗位类别）、unit（单位）",
        ),
    ],
)
def test_broken_form_names_form_item_and_field(quick_data, path, value, message):
    with pytest.raises(QuestionnaireError) as err:
        parse_questionnaire(_broken(quick_data, path, value), source="quick.yaml")
    assert "问卷“quick.yaml”" in str(err.value)
    assert message in str(err.value)


def test_dimension_without_items_is_reported(quick_data):
    data = _broken(
        quick_data, ("items",), [i for i in quick_data["items"] if i.get("dimension") != "care"]
    )
    with pytest.raises(QuestionnaireError, match="维度“关爱赋能”（care）没有题目"):
        parse_questionnaire(data)


def test_every_problem_is_listed_not_only_the_first(quick_data):
    data = _broken(quick_data, ("title",), _DELETE)
    data = _broken(data, ("items", 0, "text"), "")
    with pytest.raises(QuestionnaireError) as err:
        parse_questionnaire(data)
    assert len(str(err.value).splitlines()) == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"key: [unclosed", "格式错误（YAML无法解析）"),
        ("title: 测试".encode("gbk"), "不是UTF-8编码"),
        (b"- just\n- a list\n", "顶层应为"),
    ],
)
def test_unreadable_files(tmp_path, content, message):
    path = tmp_path / "mine.yaml"
    path.write_bytes(content)
    with pytest.raises(QuestionnaireError, match=message):
        load_questionnaire(path)


def test_missing_file():
    with pytest.raises(QuestionnaireError, match="找不到问卷文件"):
        load_questionnaire("nosuchform")


def test_an_organisation_can_replace_a_form(tmp_path, quick_data):
    data = _broken(quick_data, ("title",), "某某县减负自评")
    path = tmp_path / "own.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_questionnaire(path).title == "某某县减负自评"


# ---- stable ids, no duplicate names, no line breaks (issue 17, item 18) ----------------------


@pytest.mark.parametrize("key", BUILTIN)
def test_options_and_dimensions_have_stable_ids(key):
    form = load_questionnaire(key)
    options = form.problems.options
    assert all(o.id and o.text for o in options)
    assert len({o.id for o in options}) == len(options)
    assert form.problems.text_of(options[0].id) == options[0].text
    assert len({d.key for d in form.dimensions}) == len({d.name for d in form.dimensions})


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        # two dimensions with one name would merge in every breakdown
        (("dimensions", 1, "name"), "文件", "维度名称“文件”重复"),
        (("items", 1, "text"), None, "第2题（q02）：字段“题干”（text）与第1题相同"),
        # an option's votes are counted by its id: ids are required and unique
        (
            ("problems", "options", 0),
            "文山会海反弹回潮",
            "选项第1项：应为“字段: 值”的映射，写明 id（选项代码）、text（文字）；如 {id: p01",
        ),
        (("problems", "options", 1, "id"), "meetings_docs", "选项代码“meetings_docs”重复"),
        (("problems", "options", 1, "id"), "第二", "：字段“选项代码”（id）只能用小写英文字母"),
        (("problems", "options", 1, "text"), "文山会海反弹回潮", "选项“文山会海反弹回潮”重复"),
        # a line break splits what is stored one per line
        (("problems", "options", 2, "text"), "过度留痕、\n以材料论成效", "不能含换行"),
        (("dimensions", 0, "name"), "文\n件", "维度第1项（docs）：字段“名称”（name）不能含换行"),
        (("items", 0, "text"), "文件多\n会议多", "第1题（q01）：字段“题干”（text）不能含换行"),
        (("scale", "labels"), ["完全\n不符合", "b", "c", "d", "e"], "不能含换行"),
        (("fields", "role", "options"), ["机\n关", "基层"], "不能含换行"),
    ],
)
def test_names_are_unique_and_on_one_line(quick_data, path, value, message):
    if path == ("items", 1, "text"):
        value = quick_data["items"][0]["text"]
    with pytest.raises(QuestionnaireError) as err:
        parse_questionnaire(_broken(quick_data, path, value), source="quick.yaml")
    assert message in str(err.value)


def test_an_intro_may_have_line_breaks(quick_data):
    form = parse_questionnaire(_broken(quick_data, ("intro",), "第一行\n第二行"))
    assert form.intro == "第一行\n第二行"


@pytest.mark.parametrize("middle", ["说不准", "不好说", "不确定", "不知道"])
def test_a_scored_answer_may_not_read_like_the_unscored_one(quick_data, middle):
    labels = ["完全不符合", "不太符合", middle, "比较符合", "完全符合"]
    with pytest.raises(QuestionnaireError, match=f"“{middle}”与不计分的"):
        parse_questionnaire(_broken(quick_data, ("scale", "labels"), labels))


def test_rules_between_parts_are_checked_beside_broken_ones(quick_data):
    data = _broken(quick_data, ("items", 0, "text"), "")
    data = _broken(data, ("items", 2, "id"), "q02")
    with pytest.raises(QuestionnaireError) as err:
        parse_questionnaire(data, source="quick.yaml")
    assert err.value.problems == [
        "问卷“quick.yaml”第1题（q01）：字段“题干”（text）不能为空",
        "问卷“quick.yaml”第3题（q02）：题目代码“q02”重复",
    ]


def test_a_broken_dimension_is_not_called_missing_by_its_items(quick_data):
    data = _broken(quick_data, ("dimensions", 0, "name"), "文\n件")
    with pytest.raises(QuestionnaireError) as err:
        parse_questionnaire(data, source="quick.yaml")
    assert err.value.problems == ["问卷“quick.yaml”维度第1项（docs）：字段“名称”（name）不能含换行"]
