"""File names made from user text (a unit, a title): any system can save them.

Charts, the comparison table and drafts are downloaded under names built from
unit names and titles, which may hold slashes, quotes, colons or line breaks.
"""

from __future__ import annotations

import re

from .characters import clean_name

# path separators, characters Windows refuses, whitespace and C0 controls
UNSAFE = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')


def safe_file_name(text: object, fallback: str, limit: int | None = None) -> str:
    """``text`` as a file name stem: a clean name, unsafe runs as “_”, at most ``limit``
    characters, no dot or “_” at either end (Windows drops a final dot); ``fallback``
    when nothing is left."""
    stem = UNSAFE.sub("_", clean_name(text))[:limit].strip("._")
    return stem or fallback
