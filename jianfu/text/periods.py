"""Period labels (时期): how a typed label is read and how periods sort.

Years sort by year (2023年 < 2024年上半年 < 2024年); other labels keep the order
in which they were added until the user sets an order.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from .formula import unguard
from .names import cell_text, has_text, squash


def clean_period(value: object) -> str:
    """A 时期 label as stored: a clean name (:func:`jianfu.text.characters.clean_name`), NFKC, no
    spaces, and a bare year 2023 -> “2023年”.

    Excel turns a typed 2023 into a number; “2023年” is how periods are labelled
    everywhere else, so a bare year is unambiguous.
    """
    if not has_text(value):
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    text = squash(unguard(cell_text(value)))
    if re.fullmatch(r"(19|20)\d\d", text):
        return f"{text}年"
    return text


def period_sort_key(label: str) -> int | None:
    """Years sort by year (2023年 < 2024年上半年 < 2024年); other labels keep insertion order."""
    match = re.search(r"(19|20)\d{2}", label)
    if not match:
        return None
    key = int(match.group()) * 10 + 5
    if "上半年" in label or "一季度" in label or "第一季度" in label:
        key -= 3
    elif "二季度" in label or "第二季度" in label:
        key -= 2
    elif "三季度" in label or "第三季度" in label or "下半年" in label:
        key -= 1
    return key


# how long a period is, by the words of its label (a label saying none is not judged)
_SPANS = (("上半年", "半年"), ("下半年", "半年"), ("季度", "一个季度"), ("月", "一个月"))


def period_span(label: str) -> str | None:
    """“全年” for 2023年, “半年”, “一个季度”, “一个月”; None when the label does not say.

    A full year's 200 documents against half a year's 98 is not a 51% cut: the two
    periods of a comparison should be equally long. 2024年1-6月 spans months and is
    not judged.
    """
    label = squash(label)
    if re.fullmatch(r"(19|20)\d{2}年度?", label):
        return "全年"
    if re.search(r"\d\s*[-—–~～至到]\s*\d+\s*月", label):
        return None
    return next((span for word, span in _SPANS if word in label), None)


# A 时期 cell that says the row is not a period but a sum or a change of the rows above
# (比上年增减, 同比, 合计, 小计：…): such rows are left out and checked, never imported.
SUMMARY_WORDS = {
    "total": ("合计", "小计", "总计", "共计"),
    "rate": ("同比", "环比", "增长率", "增减率", "增幅", "降幅", "减幅", "变化率", "增速"),
    "change": ("增减", "增加", "减少", "差额", "差值", "变化", "变动", "上升", "下降",
               "比上年", "较上年", "比去年", "较去年"),
}  # fmt: skip


def summary_kind(label: object) -> str | None:
    """ "total", "rate" or "change" for a 时期 that sums or compares periods, else None."""
    text = squash(label) if has_text(label) else ""
    for kind, words in SUMMARY_WORDS.items():
        if any(word in text for word in words):
            return kind
    return None


_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SPAN = re.compile(
    r"(?P<year>(?:19|20)\d\d)年?"
    r"(?:(?P<half>上半年|下半年)|第?(?P<quarter>[一二三四1-4])季度|[Qq](?P<q>[1-4])"
    r"|[-/.]?(?P<month>1[0-2]|0?[1-9])月?)?"
)


def period_dates(label: object) -> tuple[str, date, date] | None:
    """A calendar 时期 as (label, first day, last day): 2026年, 2026年上半年, 2026年第四季度
    (2026Q4), 2026年11月 (2026-11); None for a label that is not one of these."""
    text = clean_period(label)
    found = _SPAN.fullmatch(text)
    if not found:
        return None
    year = int(found["year"])
    if found["half"]:
        first, last = (1, 6) if found["half"] == "上半年" else (7, 12)
        said = f"{year}年{found['half']}"
    elif found["quarter"] or found["q"]:
        quarter = _QUARTERS[found["quarter"] or found["q"]]
        first, last = 3 * quarter - 2, 3 * quarter
        said = f"{year}年第{'一二三四'[quarter - 1]}季度"
    elif found["month"]:
        first = last = int(found["month"])
        said = f"{year}年{first}月"
    else:
        first, last, said = 1, 12, f"{year}年"
    end = date(year + 1, 1, 1) if last == 12 else date(year, last + 1, 1)
    return said, date(year, first, 1), date.fromordinal(end.toordinal() - 1)
