"""A finding of the draft checks and the names of the checks, shared by the check modules."""

from __future__ import annotations

from dataclasses import dataclass

CHECKS = {
    "no_evidence": "缺少问题依据",
    "pending": "做法待核实",
    "to_fill": "待补充",
    "no_figure": "缺少数字",
    "figure": "数字与数据不符",
    "count": "概括数与条目数不符",
    "lone_point": "只有“一是”",
    "same_formula": "句式雷同",
    "parallel": "小标题不对仗",
    "repeat": "用语重复",
    "long_sentence": "句子过长",
    "slogans": "空话套话偏多",
    "self_name": "称呼本单位",
    "too_short": "篇幅不足",
    "over_limit": "超出时限",
    "period_span": "时期长短不同",
}


@dataclass(frozen=True)
class Finding:
    check: str
    message: str
    paragraph_id: str | None = None
    section_id: str | None = None

    @property
    def label(self) -> str:
        return CHECKS[self.check]
