"""The phrase bank: measures, problems, next steps and heading patterns by burden area.

Written by the team (data/phrasebank.yaml), used by speech drafts and by the
self-assessment's suggestions. An organisation adapts it by editing the file; a
broken file is reported by file, category and field (:mod:`jianfu.datafiles`).
Nothing heavy is imported, so the light participant page can use it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated

from ..datafiles import DataFile, DataModel, Derived, Keyed, Label, Text
from ..errors import DataFileError
from ..paths import DATA_FILES

DEFAULT_PHRASEBANK = DATA_FILES / "phrasebank.yaml"
FIELDS = {
    "headings": "小标题",
    "measures": "做法",
    "problems": "问题",
    "next_steps": "打算",
}


class PhraseBankError(DataFileError):
    """The phrase bank file is broken; the message names file, category and field."""


def _phrases(label: str):
    """A list of phrases, each non-empty text on one line."""
    return Annotated[tuple[Annotated[str, Text(label)], ...], Label(label)]


@dataclass(frozen=True)
class PhraseCategory(DataModel):
    """The phrases of one burden area (文件, 会议, 督检考 …)."""

    name: Annotated[str, Derived("类别名称", "不用写：类别名称就是它在 categories 下的键")] = ""
    headings: _phrases("小标题") = ()
    measures: _phrases("做法") = ()
    problems: _phrases("问题") = ()
    next_steps: _phrases("打算") = ()


@dataclass(frozen=True)
class PhraseBank(DataModel):
    categories: Annotated[tuple[PhraseCategory, ...], Keyed("类别")]
    # empty slogans whose density the draft checks count
    slogans: _phrases("空话套话") = ()
    # fixed formulas (四个意识) that are not summarising counts
    formulas: _phrases("固定提法") = ()

    def names(self) -> list[str]:
        return [c.name for c in self.categories]

    def category(self, name: str) -> PhraseCategory:
        """The phrases of ``name``; an area the bank does not cover has none."""
        for item in self.categories:
            if item.name == name:
                return item
        return PhraseCategory(name)

    def validated(self) -> PhraseBank:
        """A slogan or formula listed twice counts once."""
        return replace(
            self,
            slogans=tuple(dict.fromkeys(self.slogans)),
            formulas=tuple(dict.fromkeys(self.formulas)),
        )


PHRASEBANK_FILE = DataFile(PhraseBank, "短语库", PhraseBankError)


def load_phrasebank(path: str | Path | None = None) -> PhraseBank:
    """Read and validate the phrase bank YAML.

    Raises
    ------
    PhraseBankError
        naming the file, the category and the field that is wrong.
    """
    return PHRASEBANK_FILE.load(path or DEFAULT_PHRASEBANK)


def parse_phrasebank(data: object, source: str | None = None) -> PhraseBank:
    """Validate already-parsed YAML data: ``categories: {名称: {measures: [...], ...}}``."""
    return PHRASEBANK_FILE.parse(data, source)
