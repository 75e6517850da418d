"""The draft checks find what they should on crafted drafts and stay quiet on clean ones."""

from __future__ import annotations

import pytest

from jianfu.speech.checks import locate, run_checks
from jianfu.speech.figures import draft_figures
from jianfu.speech.model import Draft, Paragraph, Section
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.store.demo import demo_observations

UNIT = "示例县城关镇"  # 发文数量 46 -> 31 (-32.61%), 工作群数量 27 -> 31, 借调 4 -> 1
CLEAN = "发文数量由46件减少到31件，减少32.61%。"


def draft_with(
    *paragraphs: Paragraph,
    title: str = "主要做法和成效",
    digits: int = 2,
    limit_minutes: float | None = None,
    **kw,
) -> Draft:
    return Draft(
        unit=UNIT,
        before="2023年",
        after="2024年",
        digits=digits,
        rate=220,
        limit_minutes=limit_minutes,
        sections=[Section(title, needs_figure=True, paragraphs=list(paragraphs))],
        **kw,
    )


@pytest.fixture(scope="module")
def bank():
    return load_phrasebank()


def found(draft: Draft, bank, catalog) -> list[tuple[str, str | None]]:
    figures = draft_figures(demo_observations(), catalog, draft)
    return [(f.check, f.paragraph_id) for f in run_checks(draft, figures, bank)]


def checks_of(draft, bank, catalog) -> list[str]:
    return [c for c, _ in found(draft, bank, catalog)]


def test_clean_draft_is_quiet(bank, catalog):
    draft = draft_with(
        Paragraph(CLEAN, "point", "严控发文总量"),
        Paragraph("工作群数量由27个增加到31个，仍需清理。", "point", "清理工作群"),
        Paragraph("借调基层干部人数由4人减少到1人。", "point", "规范借调行为"),
    )
    assert found(draft, bank, catalog) == []


@pytest.mark.parametrize(
    ("digits", "text", "flagged"),
    [
        # the figure next to the name must be the engine's …
        (2, "发文数量由46件减少到30件。", True),
        (2, "发文数量由46件减少到31件，减少15件。", False),
        (2, "工作群数量由27个增加到31个，增加14.81%。", False),
        (2, "工作群数量增加了20%。", True),
        # … rounded at the draft's precision, and at no other
        (2, "发文数量减少32.6%。", True),
        (1, "发文数量减少32.6%。", False),
        (0, "发文数量减少33%。", False),
        (0, "发文数量减少32.61%。", True),
        (0, "发文数量减少32%。", True),
        # short names count too; full-width digits are digits
        (2, "借调干部减少３人。", False),
        (2, "借调干部减少2人。", True),
        # numbers not said of an indicator are left alone
        (2, "组织专题培训3次，参加干部120人。", False),
        (2, "自评中31%的参与者认为工作群过多。", False),
        (2, "2024年发文数量由46件减少到31件。", False),
    ],
)
def test_figure_check(bank, catalog, digits, text, flagged):
    draft = draft_with(Paragraph(text, "point"), digits=digits)
    assert ("figure" in checks_of(draft, bank, catalog)) is flagged


def test_section_without_a_figure_points_at_its_first_paragraph(bank, catalog):
    first = Paragraph("我们狠抓文件精简。", "point")
    draft = draft_with(first, Paragraph("我们压减会议。", "point"))
    assert ("no_figure", first.id) in found(draft, bank, catalog)
    assert locate(draft, run_checks(draft, [], bank)[0]) == "一、主要做法和成效 第1段"


@pytest.mark.parametrize(
    ("title", "lead", "points", "flagged"),
    [
        ("抓好“三个统筹”", None, 2, True),
        ("抓好“三个统筹”", None, 3, False),
        ("主要做法", "我们坚持五个统筹，做法如下。", 4, True),
        ("主要做法", "我们坚持四个统筹，做法如下。", 4, False),
        # fixed formulas and time spans are not summarising counts
        ("增强四个意识", None, 2, False),
        ("三个月内完成", None, 2, False),
    ],
)
def test_summarising_count_must_match_the_items(bank, catalog, title, lead, points, flagged):
    paragraphs = [Paragraph(lead, "text")] if lead else []
    paragraphs += [Paragraph(CLEAN, "point") for _ in range(points)]
    draft = draft_with(*paragraphs, title=title)
    assert ("count" in checks_of(draft, bank, catalog)) is flagged


def test_inline_count_in_a_paragraph(bank, catalog):
    bad = Paragraph(f"做到三个到位：一是人员到位，二是经费到位。{CLEAN}", "text")
    good = Paragraph(f"做到两个到位：一是人员到位，二是经费到位。{CLEAN}", "text")
    assert ("count", bad.id) in found(draft_with(Paragraph(CLEAN), bad), bank, catalog)
    assert "count" not in checks_of(draft_with(Paragraph(CLEAN), good), bank, catalog)


def test_heading_that_breaks_the_parallel_shape(bank, catalog):
    odd = Paragraph(CLEAN, "point", "关于督检考方面我们所做的一些探索和工作")
    draft = draft_with(
        Paragraph(CLEAN, "point", "严控发文总量，让文件“瘦身”"),
        Paragraph(CLEAN, "point", "压减会议频次，让会议“提速”"),
        Paragraph(CLEAN, "point", "整合报表台账，让数据“跑路”"),
        odd,
    )
    assert [p for c, p in found(draft, bank, catalog) if c == "parallel"] == [odd.id]


def test_repeated_phrase(bank, catalog):
    said = "切实减轻基层负担"
    twice = draft_with(*(Paragraph(f"{said}。{CLEAN}", "point") for _ in range(2)))
    assert "repeat" not in checks_of(twice, bank, catalog)
    thrice = draft_with(*(Paragraph(f"{said}。{CLEAN}", "point") for _ in range(3)))
    third = thrice.sections[0].paragraphs[2].id
    assert ("repeat", third) in found(thrice, bank, catalog)


def test_long_sentence(bank, catalog):
    long = Paragraph("我们" + "认真梳理各类事项并逐项研究" * 7 + "。" + CLEAN, "point")
    assert ("long_sentence", long.id) in found(draft_with(long), bank, catalog)
    assert "long_sentence" not in checks_of(draft_with(Paragraph(CLEAN)), bank, catalog)


def test_slogans_piling_up_and_the_users_own_list(bank, catalog):
    empty = Paragraph("全面贯彻、深入落实、切实加强。" + CLEAN, "point")
    assert ("slogans", empty.id) in found(draft_with(empty), bank, catalog)
    one = Paragraph("扎实推进文件精简。" + CLEAN, "point")
    assert "slogans" not in checks_of(draft_with(one), bank, catalog)
    own = Paragraph("守正创新、赋能增效。我们抓文件。", "point")
    assert "slogans" not in checks_of(draft_with(own, Paragraph(CLEAN)), bank, catalog)
    mine = draft_with(own, Paragraph(CLEAN), extra_slogans=["守正创新", "赋能增效"])
    assert ("slogans", own.id) in found(mine, bank, catalog)


def test_over_the_time_limit_points_where_it_is_crossed(bank, catalog):
    # 8 minutes at 220 字/分钟 = 1760 字: the third 700-字 paragraph crosses the limit
    parts = [Paragraph("字" * 699 + "。" + CLEAN, "point") for _ in range(3)]
    draft = draft_with(*parts, limit_minutes=8)
    assert ("over_limit", parts[2].id) in found(draft, bank, catalog)
    draft.rate = 300  # a faster reader fits
    assert "over_limit" not in checks_of(draft, bank, catalog)
