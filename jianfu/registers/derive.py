"""Indicators counted from register rows, per unit and period, each with the rows behind it.

The rules, one place:

- 发文数量 (doc_count): documents with a 文号; a 多文合一 document is one document.
- 无文号来文/便笺数量 (doc_unnumbered): documents without a 文号 (便笺, 白头, 工作提示…).
- 单件文件平均字数 (doc_avg_chars): mean 字数 of the numbered documents whose 字数 is filled.
- 会议数量, 视频会议数量 (form 视频 or 电话), 单次会议时长 (mean duration where filled).
- 主讲话时长 (speech_main_minutes): the **longest** main speech, as the catalog aggregates
  it; the average is given beside it, labelled, and not written to the store.
- 督检考事项数: 督查, 检查 and 考核 items; 调研 is counted apart (not a 督检考 item, but
  watched: a 调研 that asks for 留痕材料 is warned about).
- 实地督检考次数: those of them held 实地.

A period is a calendar 时期 (2026年, 2026年上半年, 2026年第三季度, 2026年9月); both
its first and its last day belong to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from ..text.periods import period_dates
from .model import RegisterError
from .store import RegisterStore, Row

VIDEO_FORMS = ("视频", "电话")
INSPECTION_KINDS = ("督查", "检查", "考核")


@dataclass(frozen=True)
class Figure:
    """One derived figure: ``code`` is a catalog indicator (written to the store) or ""."""

    code: str
    label: str
    value: float
    measure: str
    row_ids: tuple[int, ...]

    @property
    def written(self) -> bool:
        return bool(self.code)


def period_span(period: str) -> tuple[str, date, date]:
    found = period_dates(period)
    if found is None:
        raise RegisterError(
            f"时期“{period}”不是日历时期，台账只能按年、半年、季度或月计算（如2026年、2026年9月）"
        )
    return found


def derive(store: RegisterStore, unit: str, period: str) -> list[Figure]:
    """Every figure the unit's registers give for ``period`` (none for a register without rows)."""
    _, start, end = period_span(period)
    rows = store.rows(unit=unit, start=start, end=end)
    return derive_rows(rows)


def derive_rows(rows: Iterable[Row]) -> list[Figure]:
    by_kind: dict[str, list[Row]] = {}
    for r in rows:
        by_kind.setdefault(r.kind, []).append(r)
    out: list[Figure] = []
    if by_kind.get("documents"):
        out += _documents(by_kind["documents"])
    if by_kind.get("meetings"):
        out += _meetings(by_kind["meetings"])
    if by_kind.get("inspections"):
        out += _inspections(by_kind["inspections"])
    return [f for f in out if f.written or f.value]


def _count(code: str, label: str, measure: str, rows: list[Row], keep: Callable) -> Figure:
    ids = tuple(r.id for r in rows if keep(r.values))
    return Figure(code, label, float(len(ids)), measure, ids)


def _mean(code: str, label: str, measure: str, rows: list[Row], field: str, keep=None):
    picked = [
        r for r in rows if r.values.get(field) is not None and (keep is None or keep(r.values))
    ]
    if not picked:
        return []
    total = sum(float(r.values[field]) for r in picked)
    return [Figure(code, label, total / len(picked), measure, tuple(r.id for r in picked))]


def _documents(rows: list[Row]) -> list[Figure]:
    numbered = _has_number
    out = [
        _count("doc_count", "发文数量（有文号的文件）", "件", rows, numbered),
        _count("doc_unnumbered", "无文号来文/便笺数量", "件", rows, lambda v: not numbered(v)),
        _count("", "其中多文合一（各计1件）", "件", rows, lambda v: bool(v.get("combined"))),
        _count("", "计划外发文", "件", rows, lambda v: v.get("planned") is False),
    ]
    out += _mean("doc_avg_chars", "单件文件平均字数", "字", rows, "chars", numbered)
    return out


def _meetings(rows: list[Row]) -> list[Figure]:
    out = [
        _count("meeting_count", "会议数量", "次", rows, lambda v: True),
        _count("meeting_video", "视频会议数量", "次", rows, lambda v: v.get("form") in VIDEO_FORMS),
        _count("", "综合性工作会议", "次", rows, lambda v: v.get("kind") == "综合性工作会议"),
    ]
    speeches = [r for r in rows if r.values.get("speech_minutes") is not None]
    if speeches:
        longest = max(float(r.values["speech_minutes"]) for r in speeches)
        ids = tuple(r.id for r in speeches if float(r.values["speech_minutes"]) == longest)
        out.append(Figure("speech_main_minutes", "主讲话时长（最长一次）", longest, "分钟", ids))
        out += _mean("", "主讲话时长（平均，仅供参考，不写入）", "分钟", rows, "speech_minutes")
    out += _mean("meeting_minutes", "单次会议时长（平均）", "分钟", rows, "minutes")
    return out


def _inspections(rows: list[Row]) -> list[Figure]:
    def counted(v):
        return v.get("kind") in INSPECTION_KINDS

    return [
        _count("inspection_items", "督检考事项数（督查、检查、考核）", "项", rows, counted),
        _count("inspection_visits", "实地督检考次数", "次", rows,
               lambda v: counted(v) and v.get("form") == "实地"),
        _count("", "调研（另计，不计入督检考事项）", "项", rows, lambda v: v.get("kind") == "调研"),
    ]  # fmt: skip


def _has_number(values) -> bool:
    return bool(str(values.get("doc_no") or "").strip())
