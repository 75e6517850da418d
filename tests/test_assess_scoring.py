"""Scoring: hand-checked cases on the two shipped forms."""

from __future__ import annotations

import pytest

from jianfu.assess.questionnaire import load_questionnaire
from jianfu.assess.scoring import (
    burden_points,
    gain_points,
    missing_required,
    score,
    whole,
)
from jianfu.speech.phrasebank import PhraseBank, PhraseCategory


@pytest.fixture(scope="module")
def quick():
    return load_questionnaire("quick")


@pytest.fixture(scope="module")
def full():
    return load_questionnaire("full")


def all_quick(value, **extra):
    answers = {f"q0{n}": value for n in range(1, 10)}
    answers.update(extra)
    return answers


@pytest.mark.parametrize(
    ("value", "burden", "gain"),
    [(1, 100, 0), (2, 75, 25), (3, 50, 50), (4, 25, 75), (5, 0, 100)],
)
def test_points(value, burden, gain):
    assert burden_points(value) == burden
    assert gain_points(value) == gain


@pytest.mark.parametrize(
    ("answers", "index", "level"),
    [
        # everyone "完全不符合" a burden statement: no burden at all
        (all_quick(1), 100, "负担较轻"),
        (all_quick(5), 0, "负担很重"),
        (all_quick(3), 50, "负担较重"),
        # 督检考 has two items: (4, 2) -> (25 + 75) / 2 = 50; the rest 2 -> 75
        (all_quick(2, q03=4, q04=2), (75 * 7 + 50) / 8, "负担一般"),
        # 不清楚 (0) is not scored: 督检考 rests on q04 alone
        (all_quick(2, q03=0, q04=5), (75 * 7 + 0) / 8, "负担一般"),
        # four of eight dimensions scored: exactly half is enough
        ({"q01": 1, "q02": 1, "q03": 1, "q05": 1}, 100, "负担较轻"),
        # three of eight: the index is 不足, not guessed
        ({"q01": 1, "q02": 1, "q03": 1}, None, "不足"),
        # nothing but 不清楚
        (all_quick(0), None, "不足"),
        ({}, None, "不足"),
    ],
)
def test_index_and_level(quick, answers, index, level):
    result = score(quick, answers, bank=PhraseBank(()))
    assert result.index == (pytest.approx(index) if index is not None else None)
    assert result.level == level


@pytest.mark.parametrize(
    ("answers", "docs", "docs_level"),
    [
        # full form: a dimension of 3 items needs 2 answered
        ({"d01": 5, "d02": 4}, 12.5, "负担很重"),
        ({"d01": 5, "d02": 0, "d03": 0}, None, "不足"),
        ({"d01": 1}, None, "不足"),
        ({"d01": 1, "d02": 1, "d03": 3}, (100 + 100 + 50) / 3, "负担较轻"),
    ],
)
def test_dimension_with_too_few_answers_is_insufficient(full, answers, docs, docs_level):
    dim = score(full, answers, bank=PhraseBank(())).dimensions[0]
    assert dim.name == "文件"
    assert dim.score == (pytest.approx(docs) if docs is not None else None)
    assert dim.level == docs_level


@pytest.mark.parametrize(
    ("answers", "gain"),
    [({"g01": 5}, 100), ({"g01": 2, "g02": 4}, 50), ({"g01": 0}, None), ({}, None)],
)
def test_gain_index_is_separate_from_the_burden_index(full, answers, gain):
    result = score(full, answers, bank=PhraseBank(()))
    assert result.gain == gain
    assert result.index is None  # gain items never enter the 减负指数


def test_weakest_dimensions_get_phrase_bank_suggestions(quick):
    bank = PhraseBank(
        (
            PhraseCategory("会议", next_steps=("会议下步一", "会议下步二", "会议下步三")),
            PhraseCategory("指尖负担", measures=("清理工作群",)),
        )
    )
    # 会议 worst (0), 政务App与工作群 next (25), 文件 fine (100)
    answers = all_quick(1, q02=5, q05=4, q07=2)
    result = score(quick, answers, bank=bank)
    assert [d.name for d in result.weakest] == ["会议", "政务App与工作群"]
    assert [(s.dimension, s.text) for s in result.suggestions] == [
        ("会议", "会议下步一"),
        ("会议", "会议下步二"),
        ("政务App与工作群", "清理工作群"),
    ]


def test_a_category_missing_from_the_bank_still_gets_a_suggestion(quick):
    result = score(quick, all_quick(1, q07=5), bank=PhraseBank(()))
    assert [s.dimension for s in result.suggestions] == ["借调"]
    assert "借调" in result.suggestions[0].text


def test_light_burden_everywhere_needs_no_suggestion(quick):
    result = score(quick, all_quick(1), bank=PhraseBank(()))
    assert result.weakest == () and result.suggestions == ()


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, list(range(1, 12))),
        (all_quick(3, g01=3, overall=0), []),  # overall 0 is an answer
        (all_quick(0, g01=0, overall=10), []),  # 不清楚 answers a required item
        (all_quick(3, overall=11), [10, 11]),
        (all_quick(3, g01=True, overall=5), [10]),
    ],
)
def test_missing_required(quick, answers, missing):
    assert missing_required(quick, answers) == missing


@pytest.mark.parametrize(
    ("value", "shown"), [(None, None), (62.5, 63), (62.49, 62), (0, 0), (99.5, 100)]
)
def test_whole_rounds_half_up(value, shown):
    assert whole(value) == shown
