"""填报任务: collecting the same figures from many units every period (issue 20).

A round (:mod:`.rounds`) asks a set of indicators of a list of units for one
period; :mod:`.templates` writes the files sent out, :mod:`.batch` imports the
files that come back, :mod:`.board` says who has reported and what looks wrong,
:mod:`.remind` drafts the 催报 text, :mod:`.commands` is `jianfu collect`.
The package itself imports nothing heavy, so the command line starts fast.
"""

from __future__ import annotations

__all__ = ["Collect", "Round", "RoundUnit"]


def __getattr__(name: str):
    if name == "Collect":
        from .rounds import Collect

        return Collect
    if name in ("Round", "RoundUnit"):
        from . import model

        return getattr(model, name)
    raise AttributeError(name)
