"""Findings of a self-assessment for a speech draft, and as sentences for the dashboard.

The drafting app calls ``findings_for_draft(db_url, unit)``. The session used is
the one the facilitator handed over (“交给发言稿”), otherwise the newest session
with at least MIN_GROUP submissions in its latest such round; with ``unit`` only
sessions organised by that unit (or handed over without naming an organiser),
or the unit's own respondents, count. Too few respondents give no findings at
all: an empty list; so does a group the dashboard withholds because it would
let a smaller one be computed (jianfu.assess.disclosure).

A speech does not read out a list of scores: a draft gets at most two sentences,
each naming the sample size and the area it supports (:func:`draft_findings`),
so the composer can put it beside the problem it supports.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine

from ..catalog.directions import FLAT
from ..numbers.format import fmt_number, round_half_up, shown_change
from ..speech.sources import SurveyFinding
from .aggregate import MIN_GROUP, Filters, Summary, select, summarise
from .disclosure import SMALL, for_session
from .questionnaire import Questionnaire, load_questionnaire
from .store import AssessStore, Session

TOP_PROBLEMS = 3
DRAFT_DIMENSIONS = 2  # the heaviest areas a draft names
DRAFT_PROBLEMS = 2  # the most chosen problems a draft names


def findings_for_draft(
    db_url: str | None, unit: str | None = None, engine: Engine | None = None
) -> list[SurveyFinding]:
    """At most two findings of the latest usable self-assessment; [] when there is none.

    ``engine``: the caller's own (the drafting app's), kept open; otherwise one is
    made for this call and disposed of.
    """
    store = AssessStore(db_url, engine=engine)
    try:
        for session in _candidates(store.sessions(), unit):
            found = _findings(store, session, unit)
            if found:
                return found
        return []
    finally:
        if engine is None:
            store.engine.dispose()


def _candidates(sessions: list[Session], unit: str | None) -> list[Session]:
    chosen = [s for s in sessions if s.for_draft]
    rest = [s for s in sessions if not s.for_draft]  # newest first already
    return chosen + rest


def _findings(store: AssessStore, session: Session, unit: str | None) -> list[SurveyFinding]:
    return _latest_shown(store, session, unit)[0] or []


def _latest_shown(
    store: AssessStore, session: Session, unit: str | None
) -> tuple[list[SurveyFinding] | None, set[str]]:
    """The findings of the latest round that may be shown (None: no round may), and the
    reasons (disclosure.SMALL, DERIVABLE) the later rounds may not."""
    form = load_questionnaire(session.form)
    everyone = store.responses(session.code)
    disclosure = for_session(session, everyone)
    # A session handed over (“交给发言稿”) without a named organiser serves any unit.
    own_unit = unit and (session.organiser == unit or (session.for_draft and not session.organiser))
    filters_unit = None if (not unit or own_unit) else unit
    refused: set[str] = set()
    for round_ in range(session.round, 0, -1):
        chosen = select(everyone, Filters(round=round_, unit=filters_unit))
        reason = disclosure.reason(chosen)
        if reason:
            refused.add(reason)
            continue
        summary = summarise(form, chosen)
        return draft_findings(form, summary, session.title, round_), refused
    return None, refused


def handover_gap(store: AssessStore, session: Session) -> str:
    """Why a draft will cite nothing of ``session`` once handed over; "" when it will.

    The drafting app's own test (:func:`findings_for_draft` for the organiser), so
    the facilitator is told what the draft will really show.
    """
    found, refused = _latest_shown(store, session, session.organiser or None)
    if found:
        return ""
    if found is not None:
        return "结果中暂无可引用的负担较重方面或突出问题"
    if refused - {SMALL}:
        return f"目前的结果可能让不足{MIN_GROUP}人的小组被推算出来，按规定不引用"
    return f"目前提交不足{MIN_GROUP}人"


def draft_findings(
    form: Questionnaire, s: Summary, title: str = "", round_: int = 1, subject: str = "本单位"
) -> list[SurveyFinding]:
    """One or two sentences with the sample size, each tied to the area it supports.

    The first names the heaviest areas (those not at the questionnaire's best level,
    at most :data:`DRAFT_DIMENSIONS`); the second the problems chosen most often.
    A room where every area is light gives no area sentence: nothing to support.
    """
    if s.suppressed:
        return []
    basis = (
        f"自评“{title}”第{round_}轮：{s.n}人提交（不少于{MIN_GROUP}人才引用）；"
        "各方面得分0—100分，越高负担越轻"
    )
    shown = [(d, round_half_up(d.mean, 1)) for d in s.weakest if d.mean is not None]
    heavy = [(d, v) for d, v in shown if form.level(float(v)) != form.levels[0][1]]
    heavy = heavy[:DRAFT_DIMENSIONS]
    out = []
    head = f"{subject}{s.n}名干部匿名自评显示"
    category = ""
    if heavy:
        first, score = heavy[0]
        category = _category(form, first.key)
        text = f"{head}，{_heaviest(heavy)}，满分100分，分数越高负担越轻）"
        topic = f"{first.name}方面{form.level(float(score))}"
        out.append(SurveyFinding(text, category, topic, basis))
    if s.problems:
        top = "、".join(f"{name}（{count}人次）" for name, count in s.problems[:DRAFT_PROBLEMS])
        lead = f"{head}，" if not heavy else ""
        text = f"{lead}参与者认为最突出的问题是{top}"
        out.append(SurveyFinding(text, category, "干部自评反映的突出问题", basis))
    return out


def _heaviest(heavy: list) -> str:
    """“A方面负担最重、B方面次之（分别为38分、45分”: only the lowest score is 最重;
    “A、B方面负担最重（分别为38分、45分）” called both the heaviest. Equal scores share it."""
    scores = [v for _, v in heavy]
    said = "、".join(f"{fmt_number(v, 1)}分" for v in scores)
    if len(set(scores)) == 1:
        names = "、".join(d.name for d, _ in heavy)
        return (
            f"{names}方面负担最重（{'均为' if len(heavy) > 1 else ''}{fmt_number(scores[0], 1)}分"
        )
    first = [d.name for d, v in heavy if v == scores[0]]
    rest = [d.name for d, v in heavy if v != scores[0]]
    return f"{'、'.join(first)}方面负担最重、{'、'.join(rest)}方面次之（分别为{said}"


def _category(form: Questionnaire, key: str) -> str:
    try:
        return form.dimension(key).category
    except KeyError:
        return ""


def sentences(
    s: Summary,
    subject: str = "本单位",
    round_: int = 1,
    earlier: Summary | None = None,
) -> list[str]:
    """The findings of one summary, most telling first (the dashboard's list)."""
    if s.suppressed:
        return []
    found = []
    head = f"{subject}自评显示，共有{s.n}人参与匿名自评"
    if s.index is not None:
        level = _level_of(s)
        head += f"，减负指数为{fmt_number(s.index, 1)}分（满分100分，分数越高负担越轻）"
        if level:
            head += f"，评价为“{level}”的人数最多"
    found.append(head + "。")
    ranked = s.weakest
    if len(ranked) >= 2:
        low = "、".join(f"{d.name}（{fmt_number(d.mean, 1)}分）" for d in ranked[:2])
        high = ranked[-1]
        found.append(
            # the two lowest, not “负担较重”: at 85 and 88 both are 负担较轻 by the scale
            f"分领域看，得分最低的是{low}；{high.name}得分最高（{fmt_number(high.mean, 1)}分）。"
        )
    if s.problems:
        top = "、".join(f"{name}（{count}人次）" for name, count in s.problems[:TOP_PROBLEMS])
        found.append(f"参与者认为最突出的问题依次是：{top}。")
    if s.overall is not None:
        found.append(
            f"对“总体负担有多重”的评价平均为{fmt_number(s.overall, 1)}分"
            "（0分为几乎没有，10分为非常沉重）。"
        )
    if s.gain is not None:
        found.append(f"获得感指数为{fmt_number(s.gain, 1)}分（满分100分）。")
    if earlier is not None and earlier.index is not None and s.index is not None:
        change = shown_change(s.index, earlier.index, 1)  # as the two indices are shown
        if change > 0:
            word = f"提高了{fmt_number(change, 1)}分"
        elif change < 0:
            word = f"下降了{fmt_number(-change, 1)}分"
        else:
            word = FLAT
        found.append(f"与第{round_ - 1}轮相比，第{round_}轮的减负指数{word}。")
    return found


def _level_of(s: Summary) -> str:
    counted = [(count, label) for label, count in s.index_levels.items() if label != "不足"]
    if not counted:
        return ""
    count, label = max(counted, key=lambda c: c[0])
    return label if count else ""
