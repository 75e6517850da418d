"""One formula said again and again: the rule the composer avoids and the check reports.

Three points each saying “实行…计划管理，计划外…须经主要负责同志…” read as one
sentence with the nouns swapped. Two sentences share a formula when, ignoring
figures, most of their characters line up (difflib's ratio at least
:data:`SAME_FORMULA`). Short sentences and data sentences (with figures) are left
out: “发文数量由46件减少到31件” and “会议数量由58次减少到40次” are meant to match.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from .figures import has_figure
from .render import spoken_chars
from .sources import TO_FILL, normal, split_sentences

SAME_FORMULA = 0.6  # distinct phrase-bank sentences stay below 0.53; swapped nouns score 0.6+
MIN_CHARS = 10  # shorter sentences are topic phrases, not formulas


def formula_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that could carry a formula (no figures, long enough)."""
    return [
        normal(s)
        for s in split_sentences(text)
        if spoken_chars(normal(s)) >= MIN_CHARS and not has_figure(s) and TO_FILL not in s
    ]


def same_formula(a: str, b: str) -> bool:
    """True when two sentences are one formula with a few words swapped."""
    return _same(normal(a), normal(b))


@lru_cache(maxsize=8192)  # the checks run after every keystroke; most sentences did not change
def _same(a: str, b: str) -> bool:
    if a == b or min(spoken_chars(a), spoken_chars(b)) < MIN_CHARS:
        return a == b and bool(a)
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    # cheap upper bounds first: most pairs of sentences are nothing alike
    if matcher.real_quick_ratio() < SAME_FORMULA or matcher.quick_ratio() < SAME_FORMULA:
        return False
    return matcher.ratio() >= SAME_FORMULA
