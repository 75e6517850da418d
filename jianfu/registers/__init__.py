"""台账: item-level registers (发文, 会议, 督检考) from which burden indicators are derived.

Kinds are data files (data/registers/*.yaml, :mod:`.kinds`); rows live in their own
tables (:mod:`.schema`, :mod:`.store`); :mod:`.derive` turns rows into indicator
values with the rows behind each, :mod:`.handoff` writes them to the store with
source “台账” without overwriting typed values, and :mod:`.warnings`, :mod:`.pace`
and :mod:`.merging` warn during the year.
"""

from .kinds import load_kinds
from .model import RegisterError, RegisterField, RegisterKind

__all__ = ["RegisterError", "RegisterField", "RegisterKind", "load_kinds"]
