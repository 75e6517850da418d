"""Warnings on single register rows, from the official limits (RULES: 2024 若干规定).

Each warning names the row (台账第N号) and the rule it runs against, so the office can
act while the year is still running. The limits and their sources are a data file
(:mod:`.limits`); the sentences quote them. Pace and merge suggestions are in
:mod:`.pace` and :mod:`.merging`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..numbers.format import plain
from .limits import Limits, duration, load_limits
from .store import Row

TASK_DOC_KINDS = ("专项工作文件",)
MEMO_KINDS = ("便笺", "白头文件", "工作提示", "通知")
LOWER_LEVELS = ("乡镇", "村（社区）", "乡镇和村（社区）")
HALF_DAY_MINUTES = 240  # the rules' 半天, said so when the limit is this

KINDS = {
    "long_document": "文件超长",
    "long_speech": "主讲话超时",
    "long_meeting": "会议超过半天",
    "both_leaders": "党政主要负责同志都讲话",
    "unplanned": "计划外",
    "memo": "便笺代替正式文件",
    "escort": "陪会",
    "traces": "要求留痕材料",
}


@dataclass(frozen=True)
class Alert:
    kind: str  # a key of KINDS
    unit: str
    row_ids: tuple[int, ...]
    text: str

    @property
    def title(self) -> str:
        return KINDS.get(self.kind, self.kind)


def row_warnings(rows: Iterable[Row], limits: Limits | None = None) -> list[Alert]:
    """Every warning on every row, in row order (``limits``: the shipped file by default)."""
    limits = limits or load_limits()
    out = []
    check = {"documents": _document, "meetings": _meeting, "inspections": _inspection}
    for r in rows:
        for kind, text in check.get(r.kind, lambda v, _: [])(r.values, limits):
            out.append(Alert(kind, r.unit, (r.id,), f"{_cite(r)}{text}"))
        if r.values.get("planned") is False:
            out.append(
                Alert("unplanned", r.unit, (r.id,), f"{_cite(r)}不在年度计划内，请按规定报批")
            )
    return out


def _cite(r: Row) -> str:
    title = r.values.get("title") or r.values.get("name") or r.values.get("item") or ""
    return f"台账第{r.id}号（{r.day.month}月{r.day.day}日“{title}”）"


def meeting_limit(limits: Limits) -> str:
    """“半天（按4小时计）” as the rules say it, else the limit in hours or minutes."""
    minutes = limits.meeting_minutes.number
    return "半天（按4小时计）" if minutes == HALF_DAY_MINUTES else duration(minutes)


def _document(v, limits: Limits) -> list[tuple[str, str]]:
    out = []
    chars, kind = v.get("chars"), v.get("kind")
    limit = limits.task_document_chars if kind in TASK_DOC_KINDS else limits.document_chars
    if chars is not None and chars > limit.value:
        what = "专项工作文件" if kind in TASK_DOC_KINDS else "文件"
        out.append((
            "long_document",
            f"{chars}字，超过{what}一般不超过{limit.number}字的要求（依据：{limit.source}）",
        ))  # fmt: skip
    numbered = bool(str(v.get("doc_no") or "").strip())
    memo = limits.memo_chars
    if (
        not numbered
        and kind in MEMO_KINDS
        and v.get("to_level") in LOWER_LEVELS
        and chars is not None
        and chars >= memo.value
    ):
        out.append((
            "memo",
            f"无文号、以{kind}形式发往{v['to_level']}，却有{chars}字（达到{memo.number}字），"
            "篇幅与正式文件相当；请核实是否属于“正式改便笺”，应否计入发文数量",
        ))  # fmt: skip
    return out


def _meeting(v, limits: Limits) -> list[tuple[str, str]]:
    out = []
    speech, minutes = v.get("speech_minutes"), v.get("minutes")
    said, longest = limits.speech_minutes, limits.meeting_minutes
    if speech is not None and speech > said.value:
        out.append((
            "long_speech",
            f"主讲话{plain(speech)}分钟，超过主要负责同志讲话一般不超过{duration(said.number)}"
            f"的要求（依据：{said.source}）",
        ))  # fmt: skip
    if minutes is not None and minutes > longest.value:
        out.append((
            "long_meeting",
            f"会议时长{plain(minutes)}分钟，超过一般会议不超过{meeting_limit(limits)}的要求"
            f"（依据：{longest.source}）",
        ))  # fmt: skip
    if v.get("both_leaders"):
        out.append(("both_leaders", "党政主要负责同志都讲话，一般由一位主要负责同志讲话即可"))
    if v.get("escort"):
        out.append(("escort", "安排了陪会，不得层层陪会"))
    return out


def _inspection(v, _limits: Limits) -> list[tuple[str, str]]:
    if not v.get("traces"):
        return []
    if v.get("kind") == "调研":
        return [("traces", "名为调研却要求留痕材料，请核实是否属于变相督检考，应计入督检考事项")]
    return [("traces", "要求提供留痕材料；开会、发文、留痕不作为评判工作的标准")]
