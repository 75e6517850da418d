"""What the 对比 page's modules share: limits, modes, words."""

from __future__ import annotations

from urllib.parse import parse_qs

SHARE_IMPROVED = "改善指标占比"
NO_DATA = "还没有任何数据。请先在“数据录入”中填报，或导入 Excel/CSV 文件，再来这里对比。"
CHART_TAB = 2
MODES = (("两个时期对比", "pair"), ("多个时期趋势", "trend"))
TABLE_ROWS = 500  # rows shown on the page; the Excel export has them all
SAID_UNITS = 20  # units given data sentences on the page
PREFETCH_DELAY = 2.0  # s after the page is built before the first chart is drawn ahead
PRESENT_WORDS = {"1", "true", "yes", "on", "present"}


def wants_present(query: str | None) -> bool:
    """``present=1`` (or ``view=present``) in the page address opens the presentation view."""
    params = parse_qs(query or "")
    values = params.get("present", []) + params.get("view", []) + params.get("演示", [])
    return any(v.strip().lower() in PRESENT_WORDS for v in values)


def asked_selection(query: str | None) -> dict[str, object]:
    """``unit=…&unit=…&before=…&after=…`` in the page address (the 填报任务 board's
    hand-off): the controls to set, as ``choose`` takes them; absent keys are left out."""
    params = parse_qs(query or "")
    asked: dict[str, object] = {}
    if params.get("unit"):
        asked["units"] = tuple(params["unit"])
    for name in ("before", "after"):
        if params.get(name):
            asked[name] = params[name][0]
    return asked
