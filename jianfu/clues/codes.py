"""查询码 and 监督员 codes: random, shown once, stored only as a digest.

A code is 12 characters from an alphabet without look-alikes (about 58 bits);
what the database keeps is its SHA-256, so a copy of the database cannot be
used to read anyone's status. Codes are compared after normalising what people
type (case, spaces, dashes), and a malformed code is simply not found.
"""

from __future__ import annotations

import hashlib
import re
import secrets

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
LENGTH = 12
GROUP = 4
_TYPED = re.compile(r"[\s\-－—_]+")


def new_code() -> str:
    """A fresh code, grouped for reading aloud: ``K7QM-3XWD-9PRA``."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(code: object) -> str:
    """What the user typed, as the code it means ("" when it cannot be one)."""
    text = _TYPED.sub("", str(code or "")).upper()
    if len(text) != LENGTH or any(c not in ALPHABET for c in text):
        return ""
    return text


def digest(code: object, kind: str) -> str:
    """The stored form of a code; ``kind`` ("lookup" or "supervisor") keeps the two apart."""
    text = normalise(code)
    if not text:
        return ""
    return hashlib.sha256(f"jianfu-clue-{kind}\x1f{text}".encode()).hexdigest()
