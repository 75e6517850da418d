"""Automatic numbering of a draft: 一、（一）1.（1） headings and 一是/二是 points.

Numbers are never stored in the text: they are worked out when the draft is
rendered, so they stay right after paragraphs are added, removed or moved. A
marker the user typed anyway ("二是", "（三）") is stripped when the text is set.
"""

from __future__ import annotations

import re

_DIGITS = "零一二三四五六七八九"
_CN = "一二三四五六七八九十百零两"

# what a user may type at the start of a paragraph, by paragraph kind
_MARKERS = {
    "section": re.compile(rf"^\s*[{_CN}]+\s*[、.．]\s*"),
    "point": re.compile(rf"^\s*[{_CN}]+是\s*[，,：:、]?\s*"),
    "heading2": re.compile(rf"^\s*[（(]\s*[{_CN}]+\s*[）)]\s*[、.．]?\s*"),
    "heading3": re.compile(r"^\s*[0-9０-９]+\s*[.．、]\s*"),
    "heading4": re.compile(r"^\s*[（(]\s*[0-9０-９]+\s*[）)]\s*[、.．]?\s*"),
}


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 35 -> 三十五 (1..99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"only 1..99 can be numbered, got {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def parse_chinese_number(text: str) -> int | None:
    """一 -> 1, 两 -> 2, 十二 -> 12, 二十 -> 20; None if ``text`` is not such a number."""
    text = text.replace("两", "二")
    if not text or any(ch not in _DIGITS[1:] + "十" for ch in text):
        return None
    if "十" not in text:
        return _DIGITS.index(text) if len(text) == 1 else None
    head, _, tail = text.partition("十")
    if len(head) > 1 or len(tail) > 1:
        return None
    tens = _DIGITS.index(head) if head else 1
    return tens * 10 + (_DIGITS.index(tail) if tail else 0)


def section_marker(n: int) -> str:
    return f"{chinese_number(n)}、"


def heading_marker(level: int, n: int) -> str:
    """（一） for level 2, 1. for level 3, （1） for level 4."""
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level {level} has no marker")


def point_marker(n: int) -> str:
    return f"{chinese_number(n)}是"


def strip_marker(text: str, kind: str) -> str:
    """The text without a leading marker of ``kind`` that the user typed by hand."""
    pattern = _MARKERS.get(kind)
    text = text.strip()
    return pattern.sub("", text, count=1) if pattern else text
