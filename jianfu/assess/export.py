"""Exports of a session's results as .xlsx or .csv, with the same privacy rule as the screen.

Two tables: the summary (one figure per row: dimension means, item answers,
problems, breakdowns, comments) and the anonymous answer sheets (one row per
submission). A group of fewer than MIN_GROUP respondents exports its size only:
in the answer sheets, its 单位/岗位类别 are blanked and a round that small is
left out. Any text a spreadsheet would run as a formula is neutralised, and
characters a file cannot hold are dropped (jianfu.text.cell_safe), so a comment
"=HYPERLINK(...)" stays text and one holding U+FFFE still exports.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

from ..dataio.exporter import table_xlsx
from ..numfmt import fmt_number
from ..text import cell_safe
from .aggregate import BREAKDOWNS, MIN_GROUP, Filters, breakdown, select, summarise
from .questionnaire import Questionnaire
from .scoring import score
from .store import Response, Session

SUMMARY_COLUMNS = ["部分", "分组", "项目", "指标", "数值", "人数"]
SMALL = f"不足{MIN_GROUP}人，不单独列出"


def summary_rows(
    form: Questionnaire, session: Session, responses: Sequence[Response], filters: Filters
) -> list[list[object]]:
    """Rows of the summary table for the filtered view, breakdowns after it."""
    chosen = select(responses, filters)
    group = _filter_label(filters)
    s = summarise(form, chosen)
    rows: list[list[object]] = [
        ["场次", group, session.title, "提交人数", len(chosen), len(chosen)]
    ]
    if s.suppressed:
        rows.append(["说明", group, SMALL, "", "", s.n])
        return rows
    rows.append(["总体", group, "减负指数", "平均分（0—100，越高负担越轻）", _num(s.index), s.n])
    rows.append(["总体", group, "获得感指数", "平均分（0—100）", _num(s.gain), s.n])
    rows.append(
        ["总体", group, form.overall.text, "平均（0—10，越高负担越重）", _num(s.overall), s.n]
    )
    for label, count in s.index_levels.items():
        rows.append(["总体", group, "减负指数等级", label, count, s.n])
    for d in s.dimensions:
        rows.append(["维度", group, d.name, "平均分", _num(d.mean), d.n])
    for item in s.items:
        answered = sum(item.counts)
        rows.append(["题目", group, item.text, "平均（1—5）", _num(item.mean), answered])
        for label, count in zip(form.scale, item.counts, strict=True):
            rows.append(["题目", group, item.text, label, count, answered])
        rows.append(["题目", group, item.text, form.unknown_label, item.unknown, answered])
    for option, count in s.problems:
        rows.append(["最突出的问题", group, option, "选择人次", count, s.n])
    for comment in s.comments:
        if not comment.hidden:
            rows.append(["意见建议", group, comment.text, "", "", ""])
    base = select(responses, Filters(round=filters.round))
    for by, label in BREAKDOWNS.items():
        if by == "round" and filters.round is not None:
            continue
        for row in breakdown(form, base, by):
            if row.suppressed:
                rows.append([f"按{label}", row.group, SMALL, "", "", row.n])
                continue
            rows.append([f"按{label}", row.group, "减负指数", "平均分", _num(row.index), row.n])
            for name, mean in row.dimensions.items():
                rows.append([f"按{label}", row.group, name, "平均分", _num(mean), row.n])
    return rows


def answer_rows(
    form: Questionnaire, responses: Sequence[Response], filters: Filters
) -> tuple[list[str], list[list[object]]]:
    """Header and one row per submission (anonymous; small groups blanked or left out)."""
    chosen = select(responses, filters)
    rounds = Counter(r.round for r in chosen)
    chosen = [r for r in chosen if rounds[r.round] >= MIN_GROUP]
    units = Counter(r.unit for r in chosen)
    roles = Counter(r.role for r in chosen)
    header = ["序号", "轮次", "日期", "单位", "岗位类别"]
    header += [f"{n}. {item.text}" for n, item in enumerate(form.items, 1)]
    header += [form.overall.text]
    header += [d.name for d in form.dimensions] + ["减负指数", "获得感指数"]
    if form.problems:
        header.append(form.problems.text)
    if form.comment:
        header.append(form.comment.text)
    labels = {0: form.unknown_label, **{k: v for k, v in enumerate(form.scale, 1)}}
    rows = []
    for n, r in enumerate(chosen, 1):
        result = score(form, r.answers, suggest=False)
        row: list[object] = [
            n,
            f"第{r.round}轮",
            r.day.isoformat(),
            r.unit if r.unit and units[r.unit] >= MIN_GROUP else "",
            r.role if r.role and roles[r.role] >= MIN_GROUP else "",
        ]
        row += [labels.get(r.answers.get(item.id), "") for item in form.items]
        overall = r.answers.get(form.overall.id)
        row.append(overall if isinstance(overall, int) else "")
        row += [_num(d.score) for d in result.dimensions]
        row += [_num(result.index), _num(result.gain)]
        if form.problems:
            row.append("、".join(r.answers.get(form.problems.id) or []))
        if form.comment:
            text = r.answers.get(form.comment.id) or ""
            row.append("" if r.comment_hidden else text)
        rows.append(row)
    return header, rows


def to_xlsx(header: list[str], rows: list[list[object]], sheet: str) -> bytes:
    import pandas as pd

    return table_xlsx(pd.DataFrame(rows, columns=header), sheet=sheet)


def to_csv(header: list[str], rows: list[list[object]]) -> bytes:
    """UTF-8 with BOM and CRLF, as Excel and WPS expect; formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else cell_safe(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


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
        return to_csv(header, rows)
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
