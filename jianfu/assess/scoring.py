"""Scoring one set of answers: dimension scores, the 减负指数, 获得感 and suggestions.

Scores run from 0 to 100 and read the same way everywhere: higher means a
lighter burden (a better state). A burden item answered 1 (完全不符合) scores
100, 5 (完全符合) scores 0; 不清楚 is stored but never scored. A dimension with
fewer answered items than the form asks for is 不足 (None), not guessed. The
减负指数 is the mean of the dimension scores, and 不足 when fewer than half of
the dimensions have a score. 获得感 items (positive wording) make their own
index: 完全符合 scores 100.

Pure Python (no pandas): the participant page scores in its kernel.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ..numbers.format import round_half_up
from ..speech.phrasebank import PhraseBank, load_phrasebank
from .questionnaire import SCALE_POINTS, UNKNOWN, Questionnaire

Answers = Mapping[str, object]
WEAKEST = 2  # suggestions are drawn for this many of the lowest-scoring dimensions
GOOD_ENOUGH = 80.0  # dimensions at or above this need no suggestion
SUGGESTIONS_PER_DIMENSION = 2


@dataclass(frozen=True)
class DimensionScore:
    key: str
    name: str
    score: float | None  # None: 不足 (too few answered)
    answered: int
    items: int
    level: str


@dataclass(frozen=True)
class Suggestion:
    dimension: str
    text: str


@dataclass(frozen=True)
class Result:
    dimensions: tuple[DimensionScore, ...]
    index: float | None  # 减负指数
    level: str
    gain: float | None  # 获得感指数
    overall: int | None  # the 0–10 item as answered
    weakest: tuple[DimensionScore, ...]
    suggestions: tuple[Suggestion, ...]


def scale_value(value: object) -> int | None:
    """1–5 as an int; None for 不清楚, unanswered or anything else."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= SCALE_POINTS else None


def burden_points(value: int) -> float:
    """1 -> 100 ... 5 -> 0."""
    return (SCALE_POINTS - value) / (SCALE_POINTS - 1) * 100


def gain_points(value: int) -> float:
    """1 -> 0 ... 5 -> 100."""
    return (value - 1) / (SCALE_POINTS - 1) * 100


def min_answered(form: Questionnaire, items: int) -> int:
    """How many items of a dimension must be answered for it to get a score."""
    if form.min_answered:
        return min(form.min_answered, items)
    return max(1, math.ceil(items / 2))


def dimension_scores(form: Questionnaire, answers: Answers) -> tuple[DimensionScore, ...]:
    scores = []
    for dim in form.dimensions:
        items = form.items_of(dim.key)
        values = [v for v in (scale_value(answers.get(i.id)) for i in items) if v is not None]
        score = None
        if len(values) >= min_answered(form, len(items)):
            score = sum(burden_points(v) for v in values) / len(values)
        scores.append(
            DimensionScore(dim.key, dim.name, score, len(values), len(items), form.level(score))
        )
    return tuple(scores)


def burden_index(dims: tuple[DimensionScore, ...]) -> float | None:
    """Mean of the dimension scores; None when fewer than half have one."""
    scored = [d.score for d in dims if d.score is not None]
    if not dims or len(scored) * 2 < len(dims):
        return None
    return sum(scored) / len(scored)


def gain_index(form: Questionnaire, answers: Answers) -> float | None:
    values = [v for v in (scale_value(answers.get(i.id)) for i in form.gain_items) if v is not None]
    if not values:
        return None
    return sum(gain_points(v) for v in values) / len(values)


def overall_value(form: Questionnaire, answers: Answers) -> int | None:
    value = answers.get(form.overall.id)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return None
    return value


def weakest(dims: tuple[DimensionScore, ...], count: int = WEAKEST) -> tuple[DimensionScore, ...]:
    """The lowest-scoring dimensions below GOOD_ENOUGH (form order breaks ties)."""
    scored = [d for d in dims if d.score is not None and d.score < GOOD_ENOUGH]
    return tuple(sorted(scored, key=lambda d: d.score)[:count])


def suggestions(
    form: Questionnaire, dims: tuple[DimensionScore, ...], bank: PhraseBank | None = None
) -> tuple[Suggestion, ...]:
    """Next steps (then measures) from the phrase bank for each dimension given."""
    bank = bank if bank is not None else load_phrasebank()
    found = []
    for dim in dims:
        category = bank.category(form.dimension(dim.key).category)
        lines = list(category.next_steps) + list(category.measures)
        if not lines:
            lines = [f"对照《整治形式主义为基层减负若干规定》中关于{dim.name}的要求，逐项自查整改"]
        found += [Suggestion(dim.name, text) for text in lines[:SUGGESTIONS_PER_DIMENSION]]
    return tuple(found)


def score(
    form: Questionnaire, answers: Answers, bank: PhraseBank | None = None, suggest: bool = True
) -> Result:
    """The full result of one participant (``suggest=False``: scores only, for aggregates)."""
    dims = dimension_scores(form, answers)
    index = burden_index(dims)
    low = weakest(dims)
    return Result(
        dimensions=dims,
        index=index,
        level=form.level(index),
        gain=gain_index(form, answers),
        overall=overall_value(form, answers),
        weakest=low,
        suggestions=suggestions(form, low, bank) if low and suggest else (),
    )


def whole(value: float | None) -> int | None:
    """A score as people read it: rounded half up to a whole number."""
    if value is None:
        return None
    return int(round_half_up(value, 0))


def missing_required(form: Questionnaire, answers: Answers) -> list[int]:
    """1-based numbers (page order) of required questions not answered yet.

    不清楚 counts as an answer.
    """
    missing = []
    for number, item in enumerate(form.items, 1):
        value = answers.get(item.id)
        answered = isinstance(value, int) and not isinstance(value, bool)
        answered = answered and (value == UNKNOWN or scale_value(value) is not None)
        if item.required and not answered:
            missing.append(number)
    if form.overall.required and overall_value(form, answers) is None:
        missing.append(len(form.items) + 1)
    return missing
