"""A year (2024) of fictional registers for the two sample townships, consistent with the demo.

Derived from these rows, 示例县城关镇 and 示例县青山镇 get exactly their 2024 demo figures
(jianfu.store.demo.TOWN_VALUES: 发文数量, 无文号/便笺, 平均字数, 会议数量, 视频会议,
最长主讲话, 平均会议时长, 督检考事项, 实地督检考), so the demo's derived figures and
typed ones agree. A few rows are made to warn (a long document, a 便笺 to the villages,
two 部署会 a few days apart), so the page has something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .store import RegisterStore

YEAR = 2024


@dataclass(frozen=True)
class Town:
    unit: str
    short: str  # 文号 prefix
    docs: int
    memos: int
    avg_chars: int
    meetings: int
    video: int
    longest_speech: int
    mean_minutes: int
    items: int
    visits: int


TOWNS = (
    Town("示例县城关镇", "城", 31, 19, 4200, 40, 16, 45, 50, 30, 22),
    Town("示例县青山镇", "青", 33, 6, 3900, 37, 14, 40, 45, 35, 26),
)


def _day(n: int, count: int) -> str:
    return (date(YEAR, 1, 3) + timedelta(days=n * 355 // count)).isoformat()


def _spread(count: int, mean: int, pattern: tuple[int, ...]) -> list[int]:
    """``count`` whole numbers, ``mean`` plus the ``pattern`` of offsets, summing to ``count * mean``."""
    values = [mean + pattern[n % len(pattern)] for n in range(count)]
    values[-1] += count * mean - sum(values)
    return values


def documents(t: Town) -> list[dict]:
    chars = _spread(t.docs, t.avg_chars, (-400, 300, -100, -600, 500, 300))
    chars[0], chars[1] = chars[0] + 1800, chars[1] - 1800  # one long document, same total
    rows = [
        {"日期": _day(n, t.docs), "文号": f"{t.short}发〔{YEAR}〕{n + 1}号",
         "标题": f"关于做好第{n + 1}项重点工作的通知", "文种": "正式文件", "字数": c,
         "是否计划内": "是", "是否多文合一": "是" if n % 12 == 5 else "否", "发往层级": "村（社区）"}
        for n, c in enumerate(chars)
    ]  # fmt: skip
    rows += [
        {"日期": _day(n, t.memos), "标题": f"工作提示第{n + 1}期", "文种": "工作提示" if n % 2 else "便笺",
         "字数": 2400 if n == 3 else 600, "是否计划内": "是", "发往层级": "村（社区）"}
        for n in range(t.memos)
    ]  # fmt: skip
    return rows


def meetings(t: Town) -> list[dict]:
    minutes = _spread(t.meetings, t.mean_minutes, (-10, 10, -5, 5, 0))
    rows = []
    for n, m in enumerate(minutes):
        video = n < t.video
        rows.append({
            "日期": _day(n, t.meetings), "会议名称": f"第{n + 1}次工作调度会",
            "会议类型": "视频会" if video else "专题会", "形式": "视频" if video else "现场",
            "会议时长": m, "主讲话时长": min(m // 2, t.longest_speech - 5),
            "参会层级": "村（社区）", "是否计划内": "是",
        })  # fmt: skip
    rows[-1]["主讲话时长"] = t.longest_speech
    four_days_before = (date.fromisoformat(rows[-1]["日期"]) - timedelta(days=4)).isoformat()
    rows[-2].update(会议类型="部署会", 会议名称="冬季安全生产部署会", 日期=four_days_before)
    rows[-1].update(会议类型="部署会", 会议名称="年终工作部署会")
    return rows


def inspections(t: Town) -> list[dict]:
    kinds = ("督查", "检查", "考核")
    return [
        {"日期": _day(n, t.items), "事项": f"第{n + 1}项{kinds[n % 3]}事项", "组织单位": "示例县",
         "类别": kinds[n % 3], "方式": "实地" if n < t.visits else "材料", "是否计划内": "是",
         "是否要求留痕材料": "否"}
        for n in range(t.items)
    ]  # fmt: skip


def build_sample_registers(registers: RegisterStore) -> int:
    """Add the sample registers unless the towns already have rows; how many rows were added."""
    added = 0
    for t in TOWNS:
        if registers.rows(unit=t.unit):
            continue
        for kind, rows in (
            ("发文", documents(t)),
            ("会议", meetings(t)),
            ("督检考", inspections(t)),
        ):
            added += len(registers.add_many(kind, t.unit, rows, source="示例数据（虚构）").ids)
    return added
