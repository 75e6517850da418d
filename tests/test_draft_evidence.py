"""Drafts state nothing the data does not show (issue 17, items 1, 2, 3 and 7).

Every problem rests on evidence shown beside it; phrase-bank 做法 wait for the
writer's word; self-assessment findings are one or two sentences placed where
they support a problem; the draft's own checker finds nothing wrong with the
figures the composer wrote; and every sentence says where it came from.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jianfu.speech.checks import run_checks
from jianfu.speech.compose import DraftRequest, compose_draft
from jianfu.speech.figures import draft_figures
from jianfu.speech.genres import load_genres
from jianfu.speech.phrasebank import load_phrasebank
from jianfu.speech.render import to_text
from jianfu.speech.sources import (
    EVIDENCE_KINDS,
    PENDING,
    TO_FILL,
    SurveyFinding,
    provenance,
)
from jianfu.store.demo import demo_observations
from tests.support.draft_cases import GENRES, sample_cases


@pytest.fixture(scope="module")
def setting(catalog):
    return demo_observations(), catalog, load_genres(), load_phrasebank()


def compose(setting, genre, unit, before="2023年", after="2024年", **extra):
    obs, catalog, genres, bank = setting
    request = DraftRequest(genre, unit, before, after, date=dt.date(2024, 8, 6), **extra)
    return compose_draft(obs, catalog, request, genres, bank)


def checks(setting, draft):
    obs, catalog, _, bank = setting
    return run_checks(draft, draft_figures(obs, catalog, draft), bank)


def section(draft, key):
    return next(s for s in draft.sections if s.key == key)


# ---- item 1: no invented problems, no unverified 做法 presented as fact ---------


def test_a_unit_that_only_improved_gets_a_placeholder_not_a_stock_problem(setting):
    """示例县: three indicators, all improved — nothing may be said to have got worse."""
    draft = compose(setting, "研讨交流发言", "示例县")
    problems = section(draft, "problems").paragraphs
    assert [p.origin for p in problems] == ["placeholder"]
    assert problems[0].text.startswith(TO_FILL) and "不要套用常见问题的说法" in problems[0].text
    text = to_text(draft)
    assert "明降暗升" not in text and "发文数量同比减少51%" in text
    found = [f for f in checks(setting, draft) if f.check == "no_evidence"]
    assert [f.paragraph_id for f in found] == [problems[0].id]
    assert found[0].label == "缺少问题依据"


@pytest.mark.parametrize("genre", GENRES)
@pytest.mark.parametrize(("unit", "before", "after"), list(sample_cases()))
def test_no_stock_problem_phrase_and_every_problem_sentence_rests_on_evidence(
    setting, genre, unit, before, after
):
    draft = compose(setting, genre, unit, before, after)
    bank = setting[3]
    stock = [p for c in bank.categories for p in c.problems]
    text = to_text(draft)
    assert not [p for p in stock if p in text]
    for part in draft.sections:
        if not part.needs_evidence:
            continue
        for paragraph in part.paragraphs:
            for line in provenance(paragraph.topic, paragraph.text, paragraph.sources):
                assert line.kind in EVIDENCE_KINDS or TO_FILL in paragraph.text, line
                assert line.basis


def test_measures_wait_for_the_writer_and_results_need_gains(setting):
    draft = compose(setting, "研讨交流发言", "示例县城关镇")
    bank = setting[3]
    measures = {m for c in bank.categories for m in c.measures}
    results = section(draft, "results").paragraphs
    for paragraph in results:
        said = [m for m in measures if m in paragraph.text]
        assert said and all(f"{PENDING}{m}" in paragraph.text for m in said)
    pending = [f for f in checks(setting, draft) if f.check == "pending"]
    assert sorted(f.paragraph_id for f in pending) == sorted(p.id for p in results)
    # the writer vouches for one: the mark and its finding go
    draft.confirm(results[0].id)
    assert PENDING not in results[0].text
    assert results[0].id not in {f.paragraph_id for f in checks(setting, draft)}


# ---- item 2: self-assessment findings are findings, not a list of scores ------

AREA = SurveyFinding(
    "本单位23名干部匿名自评显示，政务App与工作群方面负担最重、督检考方面次之（分别为38分、45分，满分100分，"
    "分数越高负担越轻）",
    "指尖负担",
    "政务App与工作群方面负担很重",
    "自评“三月学习研讨”第1轮：23人提交",
)
CHOSEN = SurveyFinding(
    "参与者认为最突出的问题是政务App和工作群负担重（12人次）、督检考过多过频（9人次）",
    "指尖负担",
    "干部自评反映的突出问题",
    "自评“三月学习研讨”第1轮：23人提交",
)


def test_findings_join_the_problem_they_support(setting):
    draft = compose(setting, "研讨交流发言", "示例县城关镇", findings=(AREA, CHOSEN))
    problems = section(draft, "problems").paragraphs
    point = next(p for p in problems if p.topic == "指尖负担方面出现反弹")
    assert AREA.text in point.text and CHOSEN.text in point.text
    assert "工作群由27个增加到31个" in point.text  # beside the data it supports
    assert sum(AREA.text in p.text or CHOSEN.text in p.text for p in problems) == 1
    assert len(problems) == 4  # no extra numbered items for scores


def test_a_finding_with_no_data_behind_it_makes_its_own_point(setting):
    alone = SurveyFinding(AREA.text, "督检考", "督检考方面负担较重", AREA.basis)
    draft = compose(setting, "研讨交流发言", "示例县", findings=(alone,))
    problems = section(draft, "problems").paragraphs
    assert [p.origin for p in problems] == ["finding"]  # the placeholder is gone
    assert problems[0].text.startswith("督检考方面负担较重。本单位23名干部匿名自评显示")
    assert not [f for f in checks(setting, draft) if f.check == "no_evidence"]


# ---- item 3: generated sentences pass the draft's own figure check -------------


@pytest.fixture(scope="module")
def room_findings(tmp_path_factory):
    """A real self-assessment of 示例县城关镇 whose words name indicators (工作群)."""
    from jianfu.assess.handoff import findings_for_draft
    from jianfu.assess.store import AssessStore

    url = f"sqlite:///{tmp_path_factory.mktemp('room') / 'db.sqlite'}"
    room = AssessStore(url)
    room.create_session("abc", "三月学习研讨", organiser="示例县城关镇")
    for n in range(7):
        sid = room.draft("abc", f"token-number-{n:08d}").submission_id
        answers = {f"q0{k}": 2 for k in range(1, 10)} | {"q05": 4 + (n % 2)}
        answers["problems"] = ["apps_groups"] if n < 3 else ["inspections"]
        room.save("abc", 1, sid, answers, submit=True)
    found = findings_for_draft(url, "示例县城关镇")
    room.engine.dispose()
    assert any("工作群" in f.text for f in found)
    return tuple(found)


@pytest.mark.parametrize("genre", GENRES)
@pytest.mark.parametrize(("unit", "before", "after"), list(sample_cases()))
def test_generated_drafts_pass_their_own_figure_check(
    setting, room_findings, genre, unit, before, after
):
    draft = compose(setting, genre, unit, before, after, findings=room_findings)
    mismatches = [f.message for f in checks(setting, draft) if f.check == "figure"]
    assert mismatches == []


def test_an_edited_survey_sentence_is_checked_again(setting, room_findings):
    draft = compose(setting, "研讨交流发言", "示例县城关镇", findings=room_findings)
    point = next(p for _, p in draft.paragraphs() if "匿名自评显示" in p.text)
    assert not [f for f in checks(setting, draft) if f.check == "figure"]
    draft.set_text(point.id, point.text + "工作群由27个增加到35个。")
    assert [f.paragraph_id for f in checks(setting, draft) if f.check == "figure"] == [point.id]


# ---- item 7: where each sentence came from -------------------------------------


def test_each_sentence_says_where_it_came_from(setting):
    draft = compose(setting, "研讨交流发言", "示例县城关镇")
    first = section(draft, "results").paragraphs[0]
    lines = provenance(first.topic, first.text, first.sources)
    assert [line.label for line in lines[:3]] == ["短语库", "短语库·待核实", "对比数据"]
    assert "发文数量：2023年 46件 → 2024年 31件，-15件，-32.61%（改善）" in lines[2].basis
    assert "上级来文数量：2023年 380件 → 2024年 255件" in lines[2].basis
    problem = next(p for p in section(draft, "problems").paragraphs if "借调" in p.topic)
    rule = provenance(problem.topic, problem.text, problem.sources)[-1]
    assert rule.label == "预警规定"
    assert "预警（中央）" in rule.basis and "出处：" in rule.basis
    opening = section(draft, "opening").paragraphs[0]
    assert provenance("", opening.text, opening.sources)[0].label == "体裁模板"
    # a sentence the writer changed is the writer's own
    draft.set_text(first.id, first.text.replace("同比分别减少", "分别下降"))
    labels = [line.label for line in provenance(first.topic, first.text, first.sources)]
    assert "撰写人" in labels


def test_sources_survive_saving(setting, store):
    from jianfu.speech.drafts import DraftStore

    draft = compose(setting, "自查报告", "示例县城关镇")
    drafts = DraftStore(store.url, engine=store.engine)
    drafts.save(draft)
    again = drafts.load(draft.id)
    assert again.to_dict() == draft.to_dict()
    assert again.sections[1].paragraphs[0].sources[1].kind == "engine"


def test_plans_answer_the_problems_the_data_shows(setting):
    town = section(compose(setting, "研讨交流发言", "示例县城关镇"), "next").paragraphs
    assert "无文号来文" in town[0].text  # 便笺 rose there
    assert "打卡签到、积分排名、在线时长功能" in town[4].text  # an App still has them
    county = section(compose(setting, "研讨交流发言", "示例县"), "next").paragraphs
    assert not [p for p in county if "便笺" in p.text]  # no such problem in 示例县


def test_fixes_only_where_a_problem_was_found(setting):
    fixes = section(compose(setting, "自查报告", "示例县城关镇"), "fixes").paragraphs
    problems = section(compose(setting, "自查报告", "示例县城关镇"), "problems").paragraphs
    assert len(fixes) == len(problems) == 4  # 文件, 会议, 指尖负担, 借调: nothing for the rest
    county = section(compose(setting, "自查报告", "示例县"), "fixes").paragraphs
    assert [p.origin for p in county] == ["placeholder"]  # nothing to fix, nothing invented
    suggestions = section(compose(setting, "调研报告", "示例县"), "suggestions").paragraphs
    assert [p.origin for p in suggestions] == ["placeholder"]


def test_a_local_threshold_is_a_requirement_not_a_rule(setting):
    problems = section(compose(setting, "研讨交流发言", "示例县城关镇"), "problems").paragraphs
    topics = [p.topic for p in problems]
    # 主讲话 40 minutes is a county's rule (地方), 会议 45 minutes an example: 要求
    assert "会议方面与要求仍有差距" in topics
    # 原则上不得借调 is the 中央's rule: 规定
    assert "借调方面与规定仍有差距" in topics
