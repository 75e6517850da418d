"""How wide text shows where every character takes a cell: Excel columns, a terminal,
a 公文 line of 28 full-width characters.

Wide and full-width characters (汉字, full-width punctuation) take two columns,
others one. Ambiguous ones (“ ” × ①) take two in a Chinese font (Excel, Word)
and one in a terminal, so the caller says which it is.
"""

from __future__ import annotations

import unicodedata


def display_width(text: object, ambiguous: int = 1) -> int:
    """Columns ``text`` takes: East Asian wide/full-width characters 2, ambiguous ones
    ``ambiguous``, the rest 1."""
    widths = {"W": 2, "F": 2, "A": ambiguous}
    return sum(widths.get(unicodedata.east_asian_width(ch), 1) for ch in str(text))
