"""The phrase bank: measures, problems, next steps and heading patterns by burden area.

Written by the team (data/phrasebank.yaml), used by speech drafts and by the
self-assessment's suggestions. An organisation adapts it by editing the file; a
broken file is reported by file, category and field. Only yaml is imported, so
the light participant page can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .datafiles import read_yaml
from .errors import JianfuError
from .paths import DATA_FILES

DEFAULT_PHRASEBANK = DATA_FILES / "phrasebank.yaml"
FIELDS = {
    "headings": "小标题",
    "measures": "做法",
    "problems": "问题",
    "next_steps": "打算",
}


TOP_LEVEL = {"categories": "类别", "slogans": "空话套话", "formulas": "固定提法"}


class PhraseBankError(JianfuError):
    """The phrase bank file is broken; the message names file, category and field."""


@dataclass(frozen=True)
class PhraseCategory:
    """The phrases of one burden area (文件, 会议, 督检考 …)."""

    name: str
    headings: tuple[str, ...] = ()
    measures: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhraseBank:
    categories: tuple[PhraseCategory, ...]
    slogans: tuple[str, ...] = ()  # empty slogans whose density the draft checks count
    formulas: tuple[str, ...] = ()  # fixed formulas (四个意识) that are not summarising counts

    def names(self) -> list[str]:
        return [c.name for c in self.categories]

    def category(self, name: str) -> PhraseCategory:
        """The phrases of ``name``; an area the bank does not cover has none."""
        for item in self.categories:
            if item.name == name:
                return item
        return PhraseCategory(name)


def load_phrasebank(path: str | Path | None = None) -> PhraseBank:
    """Read and validate the phrase bank YAML.

    Raises
    ------
    PhraseBankError
        naming the file, the category and the field that is wrong.
    """
    path = Path(path) if path else DEFAULT_PHRASEBANK
    data = read_yaml(path, "短语库", PhraseBankError)
    return parse_phrasebank(data, source=path.name)


def parse_phrasebank(data: object, source: str = "短语库") -> PhraseBank:
    """Validate already-parsed YAML data: ``categories: {名称: {measures: [...], ...}}``."""
    if not isinstance(data, dict) or not isinstance(data.get("categories"), dict):
        raise PhraseBankError(f"短语库“{source}”：顶层应为“categories:”，其下按类别列出短语")
    problems: list[str] = [
        f"短语库“{source}”：未知的顶层字段“{k}”，应为：{'、'.join(TOP_LEVEL)}"
        for k in data
        if k not in TOP_LEVEL
    ]
    lists = {}
    for key, label in TOP_LEVEL.items():
        if key == "categories":
            continue
        items = data.get(key) or []
        if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
            problems.append(f"短语库“{source}”：字段“{key}”（{label}）应为非空文字的列表")
            items = []
        lists[key] = tuple(dict.fromkeys(i.strip() for i in items))
    categories = []
    for name, entry in data["categories"].items():
        where = f"短语库“{source}”类别“{name}”"
        if not isinstance(entry, dict):
            problems.append(f"{where}：应为“字段: 短语列表”的映射")
            continue
        unknown = [k for k in entry if k not in FIELDS]
        problems += [f"{where}：未知字段“{k}”，应为：{'、'.join(FIELDS)}" for k in unknown]
        fields = {}
        for key, label in FIELDS.items():
            items = entry.get(key) or []
            if not isinstance(items, list) or not all(
                isinstance(i, str) and i.strip() for i in items
            ):
                problems.append(f"{where}：字段“{key}”（{label}）应为非空文字的列表")
                continue
            fields[key] = tuple(i.strip() for i in items)
        categories.append(PhraseCategory(str(name), **fields))
    if problems:
        raise PhraseBankError("\n".join(problems))
    return PhraseBank(tuple(categories), **lists)
