"""Dashboard aggregates of many submissions: counts, means, distributions, rankings.

Privacy first: any group of fewer than MIN_GROUP respondents (the whole room
early on, or one unit, one 岗位类别, one round) shows its count and nothing
else — no means, no distributions, no free text — on screen and in exports;
and neither does a group whose results would let such a small group be
computed by subtraction (jianfu.assess.disclosure decides, per session).

Votes are counted by option id, so a reworded option keeps them; answers that
match nothing in the current form are counted apart and reported (mismatches),
never silently dropped. Comments carry their moderation state.

Pure Python: no pandas needed for a room of 60.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .disclosure import MIN_GROUP, SMALL, Disclosure
from .questionnaire import SCALE_POINTS, UNKNOWN, Questionnaire
from .schema import SHOWN
from .scoring import Result, scale_value, score
from .store import Response

__all__ = ["MIN_GROUP", "Disclosure", "Filters", "Summary", "breakdown", "select", "summarise"]
BREAKDOWNS = {"role": "岗位类别", "unit": "单位", "round": "轮次"}
PROBLEMS_LABEL = "最突出的问题"


@dataclass(frozen=True)
class DimensionStat:
    key: str
    name: str
    mean: float | None
    n: int  # respondents with a score in this dimension
    levels: dict[str, int]  # level label -> respondents


@dataclass(frozen=True)
class ItemStat:
    id: str
    text: str
    dimension: str  # dimension name, or 获得感
    counts: tuple[int, ...]  # answers 1..5
    unknown: int
    mean: float | None  # mean answer on the 1–5 scale


@dataclass(frozen=True)
class Comment:
    submission_id: str
    text: str
    state: str  # schema.PENDING (waiting for the facilitator), SHOWN or HIDDEN

    @property
    def shown(self) -> bool:
        """Released by the facilitator: may appear on the projector and in exports."""
        return self.state == SHOWN


@dataclass(frozen=True)
class Mismatch:
    """Stored answers that match nothing in the current form: reported, not counted."""

    question: str  # the item id, or the text of the multi-select question
    answer: str  # the stored choice that is no option now ("" for a whole item)
    count: int  # answer sheets

    def __str__(self) -> str:
        if self.answer:
            return f"“{self.question}”中的“{self.answer}”已不是问卷的选项：{self.count}人次未计入"
        return f"题目“{self.question}”已不在问卷中：{self.count}份答卷的这一题未计入"


@dataclass(frozen=True)
class Filters:
    round: int | None = None  # None: every round
    unit: str | None = None
    role: str | None = None

    def narrowing(self) -> bool:
        """True when the view is a breakdown (one unit or one 岗位类别)."""
        return bool(self.unit or self.role)


@dataclass(frozen=True)
class Summary:
    n: int
    suppressed: bool  # counts only: fewer than MIN_GROUP, or it would reveal such a group
    withheld: str = ""  # why suppressed: disclosure.SMALL or disclosure.DERIVABLE
    index: float | None = None
    index_levels: dict[str, int] = field(default_factory=dict)
    gain: float | None = None
    overall: float | None = None
    overall_counts: tuple[int, ...] = ()  # 0..10
    dimensions: tuple[DimensionStat, ...] = ()
    items: tuple[ItemStat, ...] = ()
    problems: tuple[tuple[str, int], ...] = ()  # (option text, votes), most chosen first
    comments: tuple[Comment, ...] = ()
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def weakest(self) -> tuple[DimensionStat, ...]:
        """Dimensions by mean score, lowest (heaviest burden) first."""
        scored = [d for d in self.dimensions if d.mean is not None]
        return tuple(sorted(scored, key=lambda d: d.mean))


@dataclass(frozen=True)
class GroupRow:
    group: str
    n: int
    suppressed: bool
    index: float | None
    dimensions: dict[str, float | None]  # dimension key -> mean
    withheld: str = ""  # why suppressed (disclosure.SMALL or DERIVABLE)


def select(responses: Iterable[Response], filters: Filters) -> list[Response]:
    return [
        r
        for r in responses
        if r.submitted
        and (filters.round is None or r.round == filters.round)
        and (not filters.unit or r.unit == filters.unit)
        and (not filters.role or r.role == filters.role)
    ]


def withheld(
    responses: Sequence[Response], disclosure: Disclosure | None, min_group: int = MIN_GROUP
) -> str:
    """Why a group may not show results ("" when it may).

    ``disclosure`` is the session's (None: the group is shown on its own, nothing
    else beside it, so only its size counts).
    """
    if len(responses) < min_group:
        return SMALL
    return disclosure.reason(responses) if disclosure is not None else ""


def summarise(
    form: Questionnaire,
    responses: Sequence[Response],
    min_group: int = MIN_GROUP,
    disclosure: Disclosure | None = None,
) -> Summary:
    """Everything the dashboard shows for one group of submitted responses."""
    n = len(responses)
    why = withheld(responses, disclosure, min_group)
    if why:
        return Summary(n=n, suppressed=True, withheld=why)
    results = [score(form, r.answers, suggest=False) for r in responses]
    return Summary(
        n=n,
        suppressed=False,
        index=_mean(r.index for r in results),
        index_levels=_levels(form, (r.level for r in results)),
        gain=_mean(r.gain for r in results),
        overall=_mean(r.overall for r in results),
        overall_counts=tuple(sum(1 for r in results if r.overall == k) for k in range(11)),
        dimensions=_dimension_stats(form, results),
        items=_item_stats(form, responses),
        problems=_problems(form, responses),
        comments=comments(form, responses),
        mismatches=mismatches(form, responses),
    )


def breakdown(
    form: Questionnaire,
    responses: Sequence[Response],
    by: str,
    min_group: int = MIN_GROUP,
    disclosure: Disclosure | None = None,
) -> list[GroupRow]:
    """One row per 岗位类别, 单位 or 轮次; withheld groups show only their size."""
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}")
    groups: dict[object, list[Response]] = {}
    for r in responses:
        key = getattr(r, by)
        if key is None or key == "":
            key = None
        groups.setdefault(key, []).append(r)
    rows = []

    def order(key):  # rounds in order; other groups largest first; 未填写 last
        if by == "round":
            return (key is None, key or 0, "")
        return (key is None, -len(groups[key]), str(key))

    for key in sorted(groups, key=order):
        members = groups[key]
        label = _group_label(by, key)
        why = withheld(members, disclosure, min_group)
        if why:
            rows.append(GroupRow(label, len(members), True, None, {}, why))
            continue
        summary = summarise(form, members, min_group)
        means = {d.key: d.mean for d in summary.dimensions}
        rows.append(GroupRow(label, len(members), False, summary.index, means))
    return rows


def _group_label(by: str, key: object) -> str:
    if key is None:
        return "未填写"
    if by == "round":
        return f"第{key}轮"
    return str(key)


def _mean(values: Iterable[float | None]) -> float | None:
    got = [v for v in values if v is not None]
    return sum(got) / len(got) if got else None


def _levels(form: Questionnaire, labels: Iterable[str]) -> dict[str, int]:
    counted = Counter(labels)
    order = [label for _, label in form.levels] + ["不足"]
    return {label: counted.get(label, 0) for label in order}


def _dimension_stats(form: Questionnaire, results: list[Result]) -> tuple[DimensionStat, ...]:
    stats = []
    for i, dim in enumerate(form.dimensions):
        scores = [r.dimensions[i].score for r in results]
        got = [s for s in scores if s is not None]
        stats.append(
            DimensionStat(
                dim.key,
                dim.name,
                sum(got) / len(got) if got else None,
                len(got),
                _levels(form, (form.level(s) for s in scores)),
            )
        )
    return tuple(stats)


def _item_stats(form: Questionnaire, responses: Sequence[Response]) -> tuple[ItemStat, ...]:
    stats = []
    for item in form.items:
        values = [r.answers.get(item.id) for r in responses]
        scale = [v for v in (scale_value(v) for v in values) if v is not None]
        counts = tuple(scale.count(k) for k in range(1, SCALE_POINTS + 1))
        dim = form.dimension(item.dimension).name if item.dimension else "获得感"
        stats.append(
            ItemStat(
                item.id,
                item.text,
                dim,
                counts,
                sum(1 for v in values if v == UNKNOWN and not isinstance(v, bool)),
                sum(scale) / len(scale) if scale else None,
            )
        )
    return tuple(stats)


def _problems(form: Questionnaire, responses: Sequence[Response]) -> tuple[tuple[str, int], ...]:
    """Votes per option, counted by id (a reworded option keeps its votes)."""
    if form.problems is None:
        return ()
    counted: Counter[str] = Counter()
    for r in responses:
        chosen = {form.problems.resolve(c) for c in _chosen(form, r)}
        counted.update(c for c in chosen if c is not None)
    order = {option: i for i, option in enumerate(form.problems.option_ids)}
    ranked = sorted(counted.items(), key=lambda kv: (-kv[1], order[kv[0]]))
    return tuple((form.problems.text_of(option), count) for option, count in ranked)


def _chosen(form: Questionnaire, r: Response) -> list[str]:
    chosen = r.answers.get(form.problems.id) if form.problems else None
    return [c for c in chosen if isinstance(c, str)] if isinstance(chosen, list) else []


def mismatches(form: Questionnaire, responses: Sequence[Response]) -> tuple[Mismatch, ...]:
    """Stored answers the current form no longer has: removed items and options."""
    asked = set(form.question_ids())
    items: Counter[str] = Counter()
    options: Counter[str] = Counter()
    for r in responses:
        items.update(item for item in r.answers if item not in asked)
        options.update({c for c in _chosen(form, r) if form.problems.resolve(c) is None})
    found = [Mismatch(item, "", n) for item, n in items.items()]
    if form.problems is not None:
        found += [Mismatch(PROBLEMS_LABEL, c, n) for c, n in options.items()]
    return tuple(found)


def comments(form: Questionnaire, responses: Sequence[Response]) -> tuple[Comment, ...]:
    """Every comment of the responses, with its moderation state (the moderation list)."""
    if form.comment is None:
        return ()
    found = []
    for r in responses:
        text = r.answers.get(form.comment.id)
        if isinstance(text, str) and text.strip():
            found.append(Comment(r.submission_id, text.strip(), r.comment_state))
    return tuple(found)


def round_comparison(
    form: Questionnaire,
    responses: Sequence[Response],
    min_group: int = MIN_GROUP,
    disclosure: Disclosure | None = None,
) -> list[GroupRow]:
    """Each round side by side (the rounds of one session)."""
    return breakdown(form, responses, "round", min_group, disclosure)
