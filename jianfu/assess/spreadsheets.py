"""Exports of a session's results as .xlsx or .csv, with the same privacy rule as the screen.

Two tables: the summary (one figure per row: dimension means, item answers,
problems, breakdowns, released comments) and the anonymous answer sheets (one
row per submission). A group of fewer than MIN_GROUP respondents, or one that
would let such a group be computed by subtraction, exports its size only
(jianfu.assess.disclosure, the same groups as on screen); in the answer
sheets, 单位/岗位类别 are written only where every group they label may be
shown, and a round that small is left out. Any text a spreadsheet would run as
a formula is neutralised, and characters a file cannot hold are dropped
(jianfu.text.formula.cell_safe), so a comment "=HYPERLINK(...)" stays text and one
holding U+FFFE still exports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from ..dataio.sheet_writer import table_csv, table_xlsx
from ..numbers.format import fmt_number
from .aggregate import BREAKDOWNS, MIN_GROUP, Filters, Summary, breakdown, select, summarise
from .disclosure import DERIVABLE, Disclosure, for_session
from .questionnaire import Questionnaire
from .schema import SHOWN
from .scoring import score
from .store import Response, Session

SUMMARY_COLUMNS = ["部分", "分组", "项目", "指标", "数值", "人数"]
SMALL_NOTE = f"不足{MIN_GROUP}人，不单独列出"
DERIVED_NOTE = f"与其他分组相减可推算出不足{MIN_GROUP}人的结果，不单独列出"
COMMENTS_NOTE = "只含主持人已公开的意见建议"


def withheld_note(why: str) -> str:
    return DERIVED_NOTE if why == DERIVABLE else SMALL_NOTE


def summary_rows(
    form: Questionnaire, session: Session, responses: Sequence[Response], filters: Filters
) -> list[list[object]]:
    """Rows of the summary table for the filtered view, breakdowns after it."""
    disclosure = for_session(session, responses)
    chosen = select(responses, filters)
    group = _filter_label(filters)
    s = summarise(form, chosen, disclosure=disclosure)
    rows: list[list[object]] = [
        ["场次", group, session.title, "提交人数", len(chosen), len(chosen)]
    ]
    if s.suppressed:
        rows.append(["说明", group, withheld_note(s.withheld), "", "", s.n])
        return rows
    rows += _group_rows(form, group, s)
    base = select(responses, Filters(round=filters.round))
    for by, label in BREAKDOWNS.items():
        if by == "round" and filters.round is not None:
            continue
        for row in breakdown(form, base, by, disclosure=disclosure):
            if row.suppressed:
                rows.append([f"按{label}", row.group, withheld_note(row.withheld), "", "", row.n])
                continue
            rows.append([f"按{label}", row.group, "减负指数", "平均分", _num(row.index), row.n])
            for dim in form.dimensions:
                mean = row.dimensions.get(dim.key)
                rows.append([f"按{label}", row.group, dim.name, "平均分", _num(mean), row.n])
    return rows


def _group_rows(form: Questionnaire, group: str, s: Summary) -> list[list[object]]:
    rows: list[list[object]] = [
        ["总体", group, "减负指数", "平均分（0—100，越高负担越轻）", _num(s.index), s.n],
        ["总体", group, "获得感指数", "平均分（0—100）", _num(s.gain), s.n],
        ["总体", group, form.overall.text, "平均（0—10，越高负担越重）", _num(s.overall), s.n],
    ]
    for label, count in s.index_levels.items():
        rows.append(["总体", group, "减负指数等级", label, count, s.n])
    for d in s.dimensions:
        rows.append(["维度", group, d.name, "平均分", _num(d.mean), d.n])
    for item in s.items:
        answered = sum(item.counts)
        rows.append(["题目", group, item.text, "平均（1—5）", _num(item.mean), answered])
        for label, count in zip(form.scale.labels, item.counts, strict=True):
            rows.append(["题目", group, item.text, label, count, answered])
        rows.append(["题目", group, item.text, form.unknown_label, item.unknown, answered])
    for option, count in s.problems:
        rows.append(["最突出的问题", group, option, "选择人次", count, s.n])
    for mismatch in s.mismatches:
        rows.append(["与问卷不符（未计入）", group, str(mismatch), "", mismatch.count, ""])
    shown = [c for c in s.comments if c.shown]
    if shown:
        rows.append(["意见建议", group, COMMENTS_NOTE, "条数", len(shown), ""])
    for comment in shown:
        rows.append(["意见建议", group, comment.text, "", "", ""])
    return rows


def answer_rows(
    form: Questionnaire, responses: Sequence[Response], filters: Filters
) -> tuple[list[str], list[list[object]]]:
    """Header and one row per submission, anonymous.

    A round of fewer than MIN_GROUP is left out. 单位 and 岗位类别 are written
    only where every group they would label in that round may show results
    (each row is published, so a labelled group's results follow from the
    rows): labelling the 7 基层 of 11 would hand out the other 4. The date is
    the round's, not each person's. Comments only once released.
    """
    everyone = [r for r in responses if r.submitted]
    disclosure = Disclosure(everyone)
    chosen = select(responses, filters)
    rounds = Counter(r.round for r in chosen)
    chosen = [r for r in chosen if rounds[r.round] >= MIN_GROUP]
    labels = {rnd: _labelled(everyone, rnd, disclosure) for rnd in rounds}
    days = {rnd: _days([r.day for r in everyone if r.round == rnd]) for rnd in rounds}
    header = ["序号", "轮次", "日期", "单位", "岗位类别"]
    header += [f"{n}. {item.text}" for n, item in enumerate(form.items, 1)]
    header += [form.overall.text]
    header += [d.name for d in form.dimensions] + ["减负指数", "获得感指数"]
    if form.problems:
        header.append(form.problems.text)
    if form.comment:
        header.append(form.comment.text)
    scale = {0: form.unknown_label, **{k: v for k, v in enumerate(form.scale.labels, 1)}}
    rows = []
    for n, r in enumerate(chosen, 1):
        result = score(form, r.answers, suggest=False)
        unit_shown, role_shown = labels[r.round]
        row: list[object] = [
            n,
            f"第{r.round}轮",
            days[r.round],
            (r.unit or "") if unit_shown else "",
            (r.role or "") if role_shown else "",
        ]
        row += [scale.get(r.answers.get(item.id), "") for item in form.items]
        overall = r.answers.get(form.overall.id)
        row.append(overall if isinstance(overall, int) else "")
        row += [_num(d.score) for d in result.dimensions]
        row += [_num(result.index), _num(result.gain)]
        if form.problems:
            chosen_ids = r.answers.get(form.problems.id) or []
            row.append("、".join(form.problems.text_of(c) or c for c in chosen_ids))
        if form.comment:
            text = r.answers.get(form.comment.id) or ""
            row.append(text if r.comment_state == SHOWN else "")
        rows.append(row)
    return header, rows


def _labelled(everyone: Sequence[Response], round_: int, disclosure: Disclosure):
    """(unit column, role column) written for a round: both, one of them, or neither."""
    members = [r for r in everyone if r.round == round_]

    def allowed(key) -> bool:
        groups: dict[object, list[Response]] = {}
        for r in members:
            groups.setdefault(key(r), []).append(r)
        return all(disclosure.allows(g) for g in groups.values())

    if allowed(lambda r: (r.unit or None, r.role or None)):
        return True, True
    if allowed(lambda r: r.role or None):
        return False, True
    return allowed(lambda r: r.unit or None), False


def _days(days: list) -> str:
    first, last = min(days), max(days)
    return first.isoformat() if first == last else f"{first.isoformat()}至{last.isoformat()}"


def to_xlsx(header: list[str], rows: list[list[object]], sheet: str) -> bytes:
    import pandas as pd

    return table_xlsx(pd.DataFrame(rows, columns=header), sheet=sheet)


def export_summary(form, session, responses, filters: Filters, fmt: str) -> bytes:
    rows = summary_rows(form, session, responses, filters)
    return _write(SUMMARY_COLUMNS, rows, fmt, "汇总")


def export_answers(form, responses, filters: Filters, fmt: str) -> bytes:
    header, rows = answer_rows(form, responses, filters)
    return _write(header, rows, fmt, "答卷")


def _write(header, rows, fmt: str, sheet: str) -> bytes:
    if fmt == "xlsx":
        return to_xlsx(header, rows, sheet)
    if fmt == "csv":
        return table_csv(header, rows)
    raise ValueError(f"unknown format {fmt!r}")


def _num(value: float | None) -> float | str:
    """Scores to one decimal as numbers (Excel can sum them); missing as empty."""
    if value is None:
        return ""
    return float(fmt_number(value, digits=1))


def _filter_label(filters: Filters) -> str:
    parts = []
    if filters.round is not None:
        parts.append(f"第{filters.round}轮")
    if filters.unit:
        parts.append(filters.unit)
    if filters.role:
        parts.append(filters.role)
    return "、".join(parts) or "全部"
