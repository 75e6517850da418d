"""Genre skeletons (data/genres/*.yaml): title pattern, sections, guidance, length limit.

An organisation adds a genre by adding a file; a broken file is reported by file
name and field, in Chinese. Template texts may use the placeholders in
:data:`PLACEHOLDERS`; anything else in braces is an error found at load time.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from ..datafiles import read_yaml
from ..errors import JianfuError
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
_SECTION_KEYS = {
    "key", "title", "fill", "guidance", "needs_figure", "paragraphs", "points", "field", "pick",
    "suffix", "for_problems",
}  # fmt: skip
_GENRE_KEYS = {
    "name", "description", "title", "subtitle", "byline", "occasion", "limit", "signature",
    "sections", "order", "first_person",
}  # fmt: skip


_TEXT_FIELDS = ("description", "title", "subtitle", "byline", "occasion")


class GenreError(JianfuError):
    """A genre file is broken; the message names the file and the field."""


@dataclass(frozen=True)
class PointTemplate:
    topic: str
    text: str


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str  # "" for an unnumbered opening or closing
    fill: str = "template"
    guidance: str = ""
    needs_figure: bool = False
    paragraphs: tuple[str, ...] = ()
    points: tuple[PointTemplate, ...] = ()
    field: str = "next_steps"  # for fill "phrases"
    pick: int = 0  # which entry of the field each category contributes
    suffix: str = ""  # added to each generated paragraph, e.g. blanks for owner and date
    for_problems: bool = False  # phrases only for areas with a problem (整改措施, 对策建议)

    @property
    def numbered(self) -> bool:
        return bool(self.title)


@dataclass(frozen=True)
class Genre:
    name: str
    description: str
    title: str
    sections: tuple[SectionSpec, ...]
    subtitle: str = ""
    byline: str = ""
    occasion: str = ""
    limit_minutes: float | None = None
    limit_chars: int | None = None
    signature: bool = False  # reports close with the date
    first_person: bool = False  # the unit speaks for itself: 我县, not its full name
    order: int = 100
    source: str = ""

    def fill(self, text: str, values: dict[str, str]) -> str:
        """A template with its placeholders filled (missing values become empty)."""
        return text.format_map({k: values.get(k, "") for k in PLACEHOLDERS})


def load_genres(folder: str | Path | None = None) -> dict[str, Genre]:
    """Every genre in ``folder`` (default data/genres), by name, in their ``order``.

    Raises
    ------
    GenreError
        naming the file and field that is wrong (all problems of all files).
    """
    folder = Path(folder) if folder else GENRES_DIR
    paths = sorted(folder.glob("*.yaml"))
    if not paths:
        raise GenreError(f"文件夹“{folder}”中没有体裁文件（*.yaml）")
    genres: list[Genre] = []
    problems: list[str] = []
    for path in paths:
        try:
            genres.append(load_genre(path))
        except GenreError as exc:
            problems.append(str(exc))
    names = [g.name for g in genres]
    problems += [
        f"体裁名称“{n}”在多个文件中重复" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if problems:
        raise GenreError("\n".join(problems))
    return {g.name: g for g in sorted(genres, key=lambda g: (g.order, g.name))}


def load_genre(path: str | Path) -> Genre:
    path = Path(path)
    data = read_yaml(path, "体裁", GenreError)
    return parse_genre(data, source=path.name)


def parse_genre(data: object, source: str = "体裁") -> Genre:
    """Validate parsed YAML; every problem found is listed, each with file and field."""
    where = f"体裁文件“{source}”"
    if not isinstance(data, dict):
        raise GenreError(f"{where}：顶层应为“字段: 值”的映射（name、title、sections……）")
    problems: list[str] = [
        f"{where}：未知字段“{k}”，可用字段：{'、'.join(sorted(_GENRE_KEYS))}"
        for k in data
        if k not in _GENRE_KEYS
    ]

    def text(key: str, required: bool = False, at: str = where, src: dict = data) -> str:
        value = src.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str) or (required and not value.strip()):
            problems.append(f"{at}：字段“{key}”应为{'非空' if required else ''}文字")
            return ""
        problems.extend(_placeholder_problems(value, f"{at}：字段“{key}”"))
        return value.strip()

    name = text("name", required=True)
    texts = {key: text(key, required=key == "title") for key in _TEXT_FIELDS}
    limit_minutes, limit_chars = _limit(data.get("limit"), where, problems)
    sections = _sections(data.get("sections"), where, problems, text)
    order = data.get("order", 100)
    if not isinstance(order, int) or isinstance(order, bool):
        problems.append(f"{where}：字段“order”应为整数")
        order = 100
    signature, first_person = (_flag(data, key, where, problems) for key in _FLAGS)
    if problems:
        raise GenreError("\n".join(problems))
    return Genre(
        name=name,
        **texts,
        limit_minutes=limit_minutes,
        limit_chars=limit_chars,
        signature=signature,
        first_person=first_person,
        sections=sections,
        order=order,
        source=source,
    )


_FLAGS = ("signature", "first_person")


def _flag(data: dict, key: str, where: str, problems: list[str]) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        problems.append(f"{where}：字段“{key}”应为 true 或 false")
        return False
    return value


def _limit(value: object, where: str, problems: list[str]) -> tuple[float | None, int | None]:
    if value is None:
        return None, None
    if not isinstance(value, dict) or set(value) - {"minutes", "chars"}:
        problems.append(f"{where}：字段“limit”应为“minutes: 分钟数”或“chars: 字数”")
        return None, None
    minutes, chars = value.get("minutes"), value.get("chars")
    if minutes is not None and (not _positive(minutes)):
        problems.append(f"{where}：字段“limit.minutes”应为正数（分钟）")
        minutes = None
    if chars is not None and (not _positive(chars) or not isinstance(chars, int)):
        problems.append(f"{where}：字段“limit.chars”应为正整数（字）")
        chars = None
    return (float(minutes) if minutes is not None else None), chars


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _sections(value: object, where: str, problems: list[str], text) -> tuple[SectionSpec, ...]:
    if not isinstance(value, list) or not value:
        problems.append(f"{where}：字段“sections”应为非空列表，逐项列出各部分")
        return ()
    specs: list[SectionSpec] = []
    keys: list[str] = []
    for n, item in enumerate(value, start=1):
        at = f"{where}第{n}部分"
        if not isinstance(item, dict):
            problems.append(f"{at}：应为“字段: 值”的映射（key、title、fill……）")
            continue
        at = f"{where}第{n}部分（{item.get('key', '')}）"
        problems += [
            f"{at}：未知字段“{k}”，可用字段：{'、'.join(sorted(_SECTION_KEYS))}"
            for k in item
            if k not in _SECTION_KEYS
        ]
        key = text("key", required=True, at=at, src=item)
        keys.append(key)
        fill = item.get("fill", "template")
        if fill not in FILLS:
            problems.append(f"{at}：字段“fill”应为：{'、'.join(FILLS)}")
            fill = "template"
        field = item.get("field", "next_steps")
        if field not in PHRASE_FIELDS:
            problems.append(f"{at}：字段“field”应为：{'、'.join(PHRASE_FIELDS)}")
            field = "next_steps"
        pick = item.get("pick", 0)
        if not isinstance(pick, int) or isinstance(pick, bool) or pick < 0:
            problems.append(f"{at}：字段“pick”应为不小于0的整数")
            pick = 0
        needs_figure, for_problems = (
            _flag(item, key, at, problems) for key in ("needs_figure", "for_problems")
        )
        specs.append(
            SectionSpec(
                key=key,
                title=text("title", at=at, src=item),
                fill=fill,
                guidance=text("guidance", at=at, src=item),
                needs_figure=bool(needs_figure),
                paragraphs=_texts(item.get("paragraphs"), f"{at}：字段“paragraphs”", problems),
                points=_points(item.get("points"), f"{at}：字段“points”", problems),
                field=field,
                pick=pick,
                suffix=text("suffix", at=at, src=item),
                for_problems=for_problems,
            )
        )
    problems += [
        f"{where}：部分的 key “{k}”重复" for k in sorted({k for k in keys if keys.count(k) > 1})
    ]
    return tuple(specs)


def _texts(value: object, at: str, problems: list[str]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.append(f"{at}应为非空文字的列表")
        return ()
    for v in value:
        problems.extend(_placeholder_problems(v, at))
    return tuple(v.strip() for v in value)


def _points(value: object, at: str, problems: list[str]) -> tuple[PointTemplate, ...]:
    if value is None:
        return ()
    ok = isinstance(value, list) and all(
        isinstance(v, dict) and set(v) <= {"topic", "text"} and isinstance(v.get("text"), str)
        and isinstance(v.get("topic", ""), str)
        for v in value
    )  # fmt: skip
    if not ok:
        problems.append(f"{at}应为列表，每项含“topic”（小标题）和“text”（正文）")
        return ()
    for v in value:
        problems.extend(_placeholder_problems(v.get("topic", "") + v["text"], at))
    return tuple(PointTemplate(v.get("topic", "").strip(), v["text"].strip()) for v in value)


def _placeholder_problems(value: str, at: str) -> list[str]:
    try:
        names = [field for _, field, _, _ in string.Formatter().parse(value) if field is not None]
    except ValueError:
        return [f"{at}中的花括号不成对（占位符写作{{unit}}，文字中的花括号写作{{{{ }}}}）"]
    allowed = "、".join(f"{{{k}}}（{v}）" for k, v in PLACEHOLDERS.items())
    return [f"{at}中的占位符“{{{n}}}”无效，可用：{allowed}" for n in names if n not in PLACEHOLDERS]
