"""Title lines split by meaning (GB/T 9704: 词意完整，排列对称，长短适宜).

A title that does not fit one line is broken where a reader pauses: at the space
between two halves (“减负减出好作风 松绑松出新干劲”), after punctuation, before or
after the unit's name, around 关于, after 的; only then between any two characters
outside a kept word. Of the breaks of the best kind, the most even one wins, and
no line is ever one character alone (“……新干 / 劲”).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..text.width import display_width

# words a title line never breaks inside
KEPT_WORDS = (
    "整治形式主义",
    "为基层减负",
    "基层减负",
    "形式主义",
    "交流发言",
    "调研报告",
    "自查报告",
    "经验交流",
    "工作情况",
    "学习研讨会",
    "研讨会",
)
MIN_LINE = 2  # characters: a line of one character alone reads as a slip
_PUNCTUATION = "，、：；。！？"
_AFTER = ("关于", "的")  # a break may follow these
_BEFORE = ("关于", "在")  # …or come before these


def width(text: str) -> float:
    """Line width in full-width characters: ASCII letters, digits and spaces count half."""
    return display_width(text, ambiguous=2) / 2


def title_lines(text: str, per_line: float, keep: Sequence[str] = ()) -> list[str]:
    """``text`` as lines of at most ``per_line`` characters, broken by meaning."""
    text = " ".join(text.split())
    if width(text) <= per_line:
        return [text] if text else []
    best = _best_break(text, per_line, keep)
    if best is None:  # nothing fits: cut at the line's width, still never one character
        cut = max(MIN_LINE, min(len(text) - MIN_LINE, int(per_line)))
        best = (cut, cut)
    head, tail = text[: best[0]].rstrip(), text[best[1] :].lstrip()
    return [head, *title_lines(tail, per_line, keep)]


def _best_break(text: str, per_line: float, keep: Sequence[str]) -> tuple[int, int] | None:
    """(end of the first line, start of the next) of the best break, or None."""
    protected = _protected(text, [*keep, *KEPT_WORDS])
    for kind in range(4):
        options = [
            (end, start)
            for end, start, k in _breaks(text, keep, protected)
            if k == kind and _fits(text, end, start, per_line)
        ]
        if options:
            return min(options, key=lambda o: _score(text, o, per_line))
    return None


def _breaks(text: str, keep: Sequence[str], protected: set[int]):
    """Every possible break as (end, start, kind): 0 space, 1 punctuation, 2 word, 3 any."""
    for i in range(1, len(text)):
        if i in protected:
            continue
        if text[i] == " ":
            yield i, i + 1, 0
        elif text[i - 1] in _PUNCTUATION or text.startswith("——", i):
            yield i, i, 1
        elif _word_edge(text, i, keep):
            yield i, i, 2
        elif text[i - 1] != " ":
            yield i, i, 3


def _word_edge(text: str, i: int, keep: Sequence[str]) -> bool:
    if any(text[:i].endswith(w) for w in _AFTER) or any(text.startswith(w, i) for w in _BEFORE):
        return True
    return any(w and (text[:i].endswith(w) or text.startswith(w, i)) for w in keep)


def _protected(text: str, words: Sequence[str]) -> set[int]:
    """Positions inside a kept word (a break there would split it)."""
    inside: set[int] = set()
    for word in words:
        start = text.find(word) if word else -1
        while start >= 0:
            inside |= set(range(start + 1, start + len(word)))
            start = text.find(word, start + 1)
    return inside


def _fits(text: str, end: int, start: int, per_line: float) -> bool:
    head, tail = text[:end].rstrip(), text[start:].lstrip()
    return width(head) <= per_line and len(head) >= MIN_LINE and len(tail) >= MIN_LINE


def _score(text: str, option: tuple[int, int], per_line: float) -> tuple[float, float]:
    """Most even first; a longer first line (正梯形) wins a tie. Long tails count as full lines."""
    head, tail = width(text[: option[0]].rstrip()), width(text[option[1] :].lstrip())
    tail = min(tail, per_line)
    return max(head, tail) - min(head, tail), -head
