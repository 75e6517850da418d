"""填报任务: collecting the same figures from many units every period (issue 20).

A round (:mod:`.rounds`) asks a set of indicators of a list of units for one
period; :mod:`.templates` writes the files sent out, :mod:`.batch` imports the
files that come back, :mod:`.board` says who has reported and what looks wrong,
:mod:`.remind` drafts the 催报 text.
"""

from .model import Round, RoundUnit
from .rounds import Collect

__all__ = ["Collect", "Round", "RoundUnit"]
