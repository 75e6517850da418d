"""Importing altair fast: called where charts are first drawn, never as an import's side effect.

altair imports jsonschema, which imports ``rfc3987_syntax`` when it is installed
(it comes with Jupyter) to check IRI formats altair never uses; building that
grammar takes 1.5–2 s, most of altair's import time and of a page's first chart.
Marking the module absent before altair is imported makes jsonschema skip that
checker (measured: import altair 2.5 s -> 0.45 s; 5–11 s -> 0.5–1.1 s on a busy
two-core machine).
"""

from __future__ import annotations

import sys


def prepare_altair() -> None:
    """Make the coming ``import altair`` skip jsonschema's IRI grammar.

    Call it before the first chart module is imported (:mod:`.figures` does, the
    page's chart warm-up does, the test configuration does). Once altair is
    imported it changes nothing, so calling it again is harmless.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
