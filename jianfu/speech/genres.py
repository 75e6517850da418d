"""Genre skeletons (data/genres/*.yaml): title pattern, sections, guidance, length limit.

An organisation adds a genre by adding a file; a broken file is reported by file,
section and field, in Chinese (:mod:`jianfu.datafiles`). Template texts may use the
placeholders in :data:`PLACEHOLDERS`; anything else in braces is an error found at
load time.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from ..datafiles import DataFile, DataModel, Derived, Label, Positive, Problems, Range, Text
from ..errors import DataFileError
from ..paths import DATA_FILES

GENRES_DIR = DATA_FILES / "genres"
PLACEHOLDERS = {
    "unit": "单位",
    "occasion": "场合",
    "speaker": "发言人",
    "before": "基期",
    "after": "比较期",
    "self": "自称（如我县；调研报告等为单位名称）",
    "areas": "写入的方面（如“文件、会议、督检考等方面”）",
    "gain_areas": "其中有改善指标、写有做法的方面（如“文件、会议等方面”）",
}
# how the composer fills a section (see compose.py)
FILLS = {
    "template": "按模板文字填写",
    "measures": "按所选类别：小标题、做法和一个数据",
    "measures_results": "按所选类别：小标题、做法和该类别的数据句",
    "results": "成效数据句",
    "problems": "有依据的问题：变差或超出预警的指标、自评发现（没有时留出写作提示）",
    "phrases": "按所选类别从短语库选取",
    "self_check": "逐项自查：本期与基期对比及预警",
}
PHRASE_FIELDS = ("headings", "measures", "problems", "next_steps")
_PHRASE_LABELS = {
    "headings": "小标题",
    "measures": "做法",
    "problems": "问题",
    "next_steps": "打算",
}


class GenreError(DataFileError):
    """A genre file is broken; the message names the file, the section and the field."""


class Template(Text):
    """Template text: its {placeholders} must be ones a draft fills."""

    def check(self, value: str) -> str:
        text = super().check(value)
        found = Problems()
        for problem in placeholder_problems(text):
            found.add((), problem)
        found.raise_if_any()
        return text


def placeholder_problems(value: str) -> list[str]:
    """What is wrong with the braces of a template text (“{field}” names where)."""
    try:
        names = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
    except ValueError:
        return ["{field}中的花括号不成对（占位符写作{unit}，文字中的花括号写作{{ }}）"]
    allowed = "、".join(f"{{{k}}}（{v}）" for k, v in PLACEHOLDERS.items())
    return [
        f"{{field}}中的占位符“{{{n}}}”无效，可用：{allowed}" for n in names if n not in PLACEHOLDERS
    ]


def _text(label: str, required: bool = False):
    """A template text field's type, labelled."""
    return Annotated[str, Template(label, required=required)]


@dataclass(frozen=True, kw_only=True)
class PointTemplate(DataModel):
    """A template “一是”: a topic (小标题) and its text."""

    __entry__ = "第{n}点"
    __entry_id__ = ("topic",)

    topic: _text("小标题") = ""
    text: _text("正文", required=True)


@dataclass(frozen=True, kw_only=True)
class SectionSpec(DataModel):
    __entry__ = "第{n}部分"
    __entry_id__ = ("key", "title")

    key: Annotated[str, Text("代号")]
    title: _text("标题") = ""  # "" for an unnumbered opening or closing
    fill: Annotated[Literal[tuple(FILLS)], Label("填充方式", FILLS)] = "template"
    guidance: _text("写作提示") = ""
    needs_figure: Annotated[bool, Label("应有数字")] = False
    paragraphs: Annotated[tuple[_text("段落", required=True), ...], Label("模板段落")] = ()
    points: Annotated[tuple[PointTemplate, ...], Label("模板要点")] = ()
    # for fill "phrases": which field of the phrase bank, and which entry of it
    field: Annotated[Literal[PHRASE_FIELDS], Label("短语库字段", _PHRASE_LABELS)] = "next_steps"
    pick: Annotated[int, Range("条目序号", 0, 99)] = 0
    # added to each generated paragraph, e.g. blanks for owner and date
    suffix: _text("段尾") = ""
    # phrases only for areas with a problem (整改措施, 对策建议); template text (原因分析)
    # only when some problem has evidence
    for_problems: Annotated[bool, Label("只为有问题的方面选取")] = False
    # template text that speaks of results (巩固成果): written only when some indicator improved
    for_gains: Annotated[bool, Label("只在有改善的指标时写入")] = False

    @property
    def numbered(self) -> bool:
        return bool(self.title)


@dataclass(frozen=True, kw_only=True)
class Limit(DataModel):
    minutes: Annotated[float | None, Positive("限时（分钟）")] = None
    chars: Annotated[int | None, Positive("字数限制", whole=True)] = None


@dataclass(frozen=True, kw_only=True)
class Genre(DataModel):
    name: Annotated[str, Text("体裁名称")]
    description: _text("说明") = ""
    title: _text("标题", required=True)
    subtitle: _text("副标题") = ""
    byline: _text("署名") = ""
    occasion: _text("场合") = ""
    limit: Annotated[Limit | None, Label("篇幅限制")] = None
    sections: Annotated[tuple[SectionSpec, ...], Label("各部分")]
    signature: Annotated[bool, Label("落款日期")] = False  # reports close with the date
    # the unit speaks for itself: 我县, not its full name
    first_person: Annotated[bool, Label("第一人称")] = False
    order: Annotated[int, Label("排列顺序")] = 100
    source: Annotated[str, Derived("文件名")] = ""

    @property
    def limit_minutes(self) -> float | None:
        return self.limit.minutes if self.limit else None

    @property
    def limit_chars(self) -> int | None:
        return self.limit.chars if self.limit else None

    def fill(self, text: str, values: dict[str, str]) -> str:
        """A template with its placeholders filled (missing values become empty)."""
        return text.format_map({k: values.get(k, "") for k in PLACEHOLDERS})

    def validated(self) -> Genre:
        found = Problems()
        if not self.sections:
            found.add("sections", "{field}至少要有一项，逐项列出各部分")
        first: dict[str, int] = {}
        for n, section in enumerate(self.sections):
            if section.key in first:
                said = f"（与第{first[section.key] + 1}部分相同）"
                found.add(("sections", n, "key"), f"{{field}}“{section.key}”重复{said}")
            first.setdefault(section.key, n)
        found.raise_if_any()
        return self


GENRE_FILE = DataFile(Genre, "体裁", GenreError, source_field="source")


def load_genres(folder: str | Path | None = None) -> dict[str, Genre]:
    """Every genre in ``folder`` (default data/genres), by name, in their ``order``.

    Raises
    ------
    GenreError
        naming the file and field that is wrong (all problems of all files).
    """
    genres = GENRE_FILE.load_folder(folder or GENRES_DIR, key=lambda g: g.name, label="体裁名称")
    return {g.name: g for g in sorted(genres.values(), key=lambda g: (g.order, g.name))}


def load_genre(path: str | Path) -> Genre:
    return GENRE_FILE.load(path)


def parse_genre(data: object, source: str | None = None) -> Genre:
    """Validate parsed YAML; every problem found is listed, each with file and field."""
    return GENRE_FILE.parse(data, source)
