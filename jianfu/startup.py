"""Process start-up: skip the one import that costs seconds and checks nothing we use.

jsonschema — imported by altair, and by Voila and nbval through nbformat and
jupyter_events — imports ``rfc3987_syntax`` when it is installed (it comes with
Jupyter) to check IRI formats none of them validates against; building that grammar
takes 1.5–2 s in every process that imports jsonschema. Marking the module absent
before the first such import makes jsonschema skip that checker. Measured on this
two-core machine: ``import voila.app`` 3.3 s → 1.0 s, ``import altair`` 2.5 s →
0.45 s; a busy machine multiplies both.

Called explicitly, never as an import's side effect: by the chart modules before
altair, by the Voila launchers before Voila, by the test configuration first of all.
Once jsonschema is imported it changes nothing, so calling it again is harmless.
"""

from __future__ import annotations

import sys


def skip_iri_grammar() -> None:
    """Make the coming ``import jsonschema`` skip its IRI grammar."""
    sys.modules.setdefault("rfc3987_syntax", None)
