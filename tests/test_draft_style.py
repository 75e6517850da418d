"""Style the checks catch (issue 17, item 6): a lone 一是, one formula said again and
again, a speech far below its time, a unit naming itself where 我县 is idiomatic."""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.speech.checks import run_checks
from jianfu.speech.compose import DraftRequest, compose_draft
from jianfu.speech.figures import draft_figures
from jianfu.speech.genres import load_genres
from jianfu.speech.model import Draft, Paragraph, Section
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.speech.render import to_text
from jianfu.speech.voice import suggest_self_name
from jianfu.store.demo import demo_observations
from tests.support.draft_cases import GENRES, sample_cases

UNIT = "示例县城关镇"
DATA = "发文数量由46件减少到31件，减少32.61%。"


@pytest.fixture(scope="module")
def setting(catalog):
    return demo_observations(), catalog, load_genres(), load_phrasebank()


def draft_of(*paragraphs: Paragraph, **kw) -> Draft:
    kw.setdefault("unit", UNIT)
    return Draft(
        before="2023年",
        after="2024年",
        rate=220,
        sections=[Section("主要做法和成效", paragraphs=list(paragraphs))],
        **kw,
    )


def found(setting, draft: Draft, check: str) -> list:
    obs, catalog, _, bank = setting
    return [
        f for f in run_checks(draft, draft_figures(obs, catalog, draft), bank) if f.check == check
    ]


def compose(setting, genre="研讨交流发言", unit=UNIT, before="2023年", after="2024年", **kw):
    obs, catalog, genres, bank = setting
    request = DraftRequest(genre, unit, before, after, date=dt.date(2024, 8, 6), **kw)
    return compose_draft(obs, catalog, request, genres, bank)


# ---- a lone 一是 -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("paragraphs", "flagged"),
    [
        ([Paragraph(DATA, "point", "严控发文")], 1),
        ([Paragraph(DATA, "point", "严控发文"), Paragraph(DATA, "point", "压减会议")], 0),
        # one point under each of two （一） headings
        (
            [
                Paragraph("精简文件", "heading2"),
                Paragraph(DATA, "point"),
                Paragraph("压减会议", "heading2"),
                Paragraph(DATA, "point"),
            ],
            2,
        ),
        # 一是 in running text with no 二是 after it
        ([Paragraph("做到两个到位：一是人员到位。" + DATA)], 1),
        ([Paragraph("做到两个到位：一是人员到位，二是经费到位。" + DATA)], 0),
        # 统一是 is not a 一是
        ([Paragraph("口径统一是前提。" + DATA)], 0),
    ],
)
def test_a_lone_first_point(setting, paragraphs, flagged):
    lone = found(setting, draft_of(*paragraphs), "lone_point")
    assert len(lone) == flagged
    assert all(f.label == "只有“一是”" for f in lone)


def test_the_composer_writes_no_lone_point(setting):
    draft = compose(setting, categories=("文件",))
    results = next(s for s in draft.sections if s.key == "results").paragraphs
    assert [p.kind for p in results] == ["text"]
    assert results[0].text.startswith("严控发文总量，让文件“瘦身”。")
    assert not found(setting, draft, "lone_point")


# ---- one formula again and again ------------------------------------------------

FORMULA = (
    "实行年度发文计划管理，计划外发文须经主要负责同志审核签批。",
    "实行会议年度计划管理，计划外会议须经主要负责同志审核同意。",
    "实行督检考年度计划管理，计划外事项须经主要负责同志审批。",
)


def test_one_formula_in_three_points_is_flagged_once(setting):
    points = [Paragraph(text + DATA, "point", f"第{i}条") for i, text in enumerate(FORMULA)]
    same = found(setting, draft_of(*points), "same_formula")
    assert len(same) == 1 and same[0].paragraph_id == points[0].id
    assert "共3处" in same[0].message and same[0].label == "句式雷同"


def test_distinct_measures_and_data_sentences_are_not_a_formula(setting):
    points = [
        Paragraph("实行年度发文计划管理，计划外发文须经主要负责同志审核签批。" + DATA, "point"),
        Paragraph(
            "内容相近、参会人员交叉的会议合并召开或套开。会议数量由58次减少到40次。", "point"
        ),
        Paragraph(
            "推行“四不两直”方式，检查前不发通知、不打招呼。督检考事项由64项减少到30项。", "point"
        ),
    ]
    assert not found(setting, draft_of(*points), "same_formula")


@pytest.mark.parametrize("genre", GENRES)
@pytest.mark.parametrize(("unit", "before", "after"), list(sample_cases()))
def test_first_drafts_have_no_style_findings(setting, genre, unit, before, after):
    obs, catalog, _, bank = setting
    draft = compose(setting, genre, unit, before, after)
    said = {f.check for f in run_checks(draft, draft_figures(obs, catalog, draft), bank)}
    # only what the writer must still supply or verify; never a style slip of the composer
    assert said <= {"pending", "no_evidence", "to_fill", "no_figure", "too_short"}


# ---- far below the time -----------------------------------------------------------


@pytest.mark.parametrize(
    ("chars", "limit", "flagged"),
    [
        (513, {"limit_minutes": 8}, True),  # 2分20秒 of 8 minutes
        (1055, {"limit_minutes": 8}, True),  # under 60%: 1056 字 at 220 字/分钟
        (1057, {"limit_minutes": 8}, False),
        (513, {"limit_chars": 4000}, False),  # a length cap is a maximum, not a target
        (513, {}, False),
    ],
)
def test_far_below_the_time(setting, chars, limit, flagged):
    draft = draft_of(Paragraph("字" * chars + "。"), **limit)
    draft.sections[0].title, draft.sections[0].numbered = "", False  # only the paragraph counts
    short = found(setting, draft, "too_short")
    assert bool(short) is flagged
    if flagged:
        assert short[0].label == "篇幅不足"
        assert f"全文{chars}字" in short[0].message and "不到限时8分钟的六成" in short[0].message


def test_the_short_county_speech_is_reported(setting):
    draft = compose(setting, unit="示例县")
    assert [f.message for f in found(setting, draft, "too_short")]


# ---- 我县 / 我镇 / 我局 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "name"),
    [
        ("示例县", "我县"),
        ("示例县城关镇", "我镇"),
        ("公安分局", "我局"),
        ("区委组织部", "我部"),
        ("示例支队", "我支队"),
        ("城南街道", "我街道"),
        ("示例县第一中学", "我单位"),
        # a place's party committee or government speaks as the place: “我委”, “我单位” misled
        ("示例县委", "我县"),
        ("城关镇党委", "我镇"),
        ("城南街道党工委", "我街道"),
        ("示例县人民政府", "我县"),
        ("示例县城关镇人民政府", "我镇"),
        ("幸福社区党委", "我社区"),
        ("示例县委办公室", "我办"),
        ("示例县卫生健康委员会", "我委"),
        ("示例县卫健委", "我委"),  # a 委 of its own, not the county's
        ("示例县纪委监委", "我委"),
    ],
)
def test_suggested_self_name(unit, name):
    assert suggest_self_name(unit) == name


def test_a_unit_speaking_for_itself_says_wo_xian(setting):
    speech = compose(setting, unit="示例县")
    assert speech.self_name == "我县"
    body = to_text(speech).split("\n", 2)[2]  # after the title and subtitle
    assert "结合我县为基层减负的实践" in body and "示例县" not in body
    assert "——示例县在" in to_text(speech)  # the subtitle names it
    report = compose(setting, "调研报告", unit="示例县")
    assert report.self_name == "示例县" and "对示例县文件、会议、督检考等方面的情况" in to_text(
        report
    )
    assert not found(setting, speech, "self_name") and not found(setting, report, "self_name")


def test_naming_oneself_is_flagged_and_the_setting_fixes_it(setting):
    draft = compose(setting, unit="示例县", self_name="示例县")
    assert draft.self_name == "示例县" and not found(setting, draft, "self_name")  # chosen
    draft.self_name = ""  # e.g. a draft saved before the setting existed
    named = found(setting, draft, "self_name")
    assert named and "直称本单位“示例县”" in named[0].message and "我县" in named[0].message
    assert draft.use_self_name("我县") == 1  # “结合示例县为基层减负的实践”
    assert "示例县" not in "".join(p.text for _, p in draft.paragraphs())
    assert not found(setting, draft, "self_name")
    # the sources follow the text: the renamed sentences are still the composer's
    results = next(s for s in draft.sections if s.key == "results").paragraphs
    assert all("我县" not in s.text or s.kind for p in results for s in p.sources)
