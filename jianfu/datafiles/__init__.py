"""The one layer every data file goes through: catalog, questionnaires, genres, phrase bank.

A kind of data file is a model — frozen dataclasses deriving from :class:`DataModel`,
whose fields carry their Chinese label and rule (:mod:`.fields`) — and one
:class:`DataFile` naming it. Every problem of a file is reported at once, each line
naming the file, the entry and the field (:mod:`.messages`); unknown keys are errors
that suggest the key meant. pydantic does the checking (:mod:`.validate`) but is
imported only when a file is new or changed (:mod:`.cache`), so pages, the
participant page above all, read data files without loading it.
"""

from .fields import Code, Derived, Keyed, Label, Positive, Range, Text, has_break
from .model import DataModel, Problems, broken, incomplete
from .reading import read_yaml
from .spec import DataFile

__all__ = [
    "Code",
    "DataFile",
    "DataModel",
    "Derived",
    "Keyed",
    "Label",
    "Positive",
    "Problems",
    "Range",
    "Text",
    "broken",
    "has_break",
    "incomplete",
    "read_yaml",
]
