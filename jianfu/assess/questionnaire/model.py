"""Self-assessment questionnaires: the model a form file (data/questionnaires/*.yaml) declares.

A form lists dimensions that follow the areas of the 2024 减负 rules and items on a
labelled 5-point scale, all worded in one direction: agreeing with a statement
means a heavier burden. Positive 获得感 items (``kind: gain``) are scored apart,
as their own index, so that no item is ever reversed. Every form has one 0–10
overall item and may have a multi-select "最突出的问题" and free text.

Answers are stored under ids, never under wording: items and options carry an
``id``, dimensions a ``key``, so an organisation can reword a statement or an
option without losing the votes already given. Names must be unique (two
dimensions called 文件 would merge in every breakdown) and on one line (chosen
options are stored one per line).

No pydantic here: the participant page builds these objects from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Literal, NamedTuple

from ...datafiles import Code, DataModel, Label, Problems, Range, Text, broken, incomplete

SCALE_POINTS = 5
UNKNOWN = 0  # the 不清楚 answer: stored, never scored
KINDS = ("burden", "gain")
# Scored answers that read like "don't know": beside 不清楚 (not scored) they are synonyms.
UNSURE_WORDS = ("说不准", "说不清", "不好说", "不确定", "不知道", "不清楚", "无法判断")

Id = Annotated[str, Code("题目代码")]
Flag = Annotated[bool, Label("必答")]
Names = tuple[Annotated[str, Text("选项")], ...]


class Level(NamedTuple):
    """A level of the 0–100 score: from ``min`` up it is called ``label``."""

    min: Annotated[float, Range("最低分", 0, 100, whole=False)]
    label: Annotated[str, Text("名称")]


Level.__entry__ = "等级第{n}项"
DEFAULT_LEVELS = (
    Level(80.0, "负担较轻"),
    Level(60.0, "负担一般"),
    Level(40.0, "负担较重"),
    Level(0.0, "负担很重"),
)


@dataclass(frozen=True)
class Scale(DataModel):
    """The five scored answers (labels of 1..5) and the one unscored 不清楚."""

    labels: Annotated[Names, Label("量表选项")]
    unknown: Annotated[str, Text("不清楚选项")]

    def validated(self) -> Scale:
        found = Problems()
        if len(self.labels) != SCALE_POINTS:
            found.add("labels", f"{{field}}应有{SCALE_POINTS}项，现有{len(self.labels)}项")
        _unique(self.labels, "labels", "{field}有重复的选项", found)
        for n, label in enumerate(self.labels):
            if any(word in label for word in UNSURE_WORDS):
                found.add(
                    ("labels", n),
                    f"计分的选项“{label}”与不计分的“{self.unknown}”意思相近，作答者分不清；"
                    "只保留一个不计分的选项（unknown），中间一档请用“部分符合”之类的说法",
                )
        found.raise_if_any()
        return self


@dataclass(frozen=True)
class Dimension(DataModel):
    __entry__ = "维度第{n}项"
    __entry_id__ = ("name", "key")

    key: Annotated[str, Code("维度代码")]
    name: Annotated[str, Text("名称")]
    # the phrase bank category that gives its suggestions (default: its name)
    category: Annotated[str, Text("短语库类别", required=False)] = ""
    description: Annotated[str, Text("说明", required=False, lines=True)] = ""

    def validated(self) -> Dimension:
        return replace(self, category=self.category or self.name)


@dataclass(frozen=True)
class Item(DataModel):
    """One statement rated on the scale (1–5, or 不清楚)."""

    __entry__ = "第{n}题"
    __entry_id__ = ("id",)

    id: Id
    text: Annotated[str, Text("题干")]
    dimension: Annotated[str | None, Label("所属维度")] = None  # None only for gain items
    kind: Annotated[Literal[KINDS], Label("题目类型", {"burden": "负担", "gain": "获得感"})] = (
        "burden"
    )
    required: Flag = True


@dataclass(frozen=True)
class OverallItem(DataModel):
    id: Id
    text: Annotated[str, Text("题干")]
    low: Annotated[str, Text("0分的含义")]
    high: Annotated[str, Text("10分的含义")]
    required: Flag = True


@dataclass(frozen=True)
class Option(DataModel):
    """One choice of the multi-select; votes are stored under ``id``."""

    __entry__ = "选项第{n}项"
    __entry_id__ = ("text", "id")
    __hint__ = "如 {id: p01, text: 文件多}；选项代码写定后不要再改，改文字不会丢失已有的选择"

    id: Annotated[str, Code("选项代码")]
    text: Annotated[str, Text("文字")]


@dataclass(frozen=True)
class ProblemsItem(DataModel):
    id: Id
    text: Annotated[str, Text("题干")]
    options: Annotated[tuple[Option, ...], Label("选项")]
    max_choices: Annotated[int, Range("最多可选", 1, 100)] = 3

    @property
    def option_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options)

    def text_of(self, option_id: str) -> str | None:
        for option in self.options:
            if option.id == option_id:
                return option.text
        return None

    def resolve(self, stored: str) -> str | None:
        """The option id a stored choice stands for: its id, or (stored before ids) its text."""
        for option in self.options:
            if stored in (option.id, option.text):
                return option.id
        return None

    def validated(self) -> ProblemsItem:
        found = Problems()
        if len(self.options) < 2:
            found.add("options", "{field}至少要有2项")
        elif self.max_choices > len(self.options):
            found.add(
                "max_choices",
                f"{{field}}应为1到{len(self.options)}之间的整数，现为“{self.max_choices}”",
            )
        _unique([o.id for o in self.options], "options", "选项代码“{value}”重复", found, "id")
        _unique([o.text for o in self.options], "options", "选项“{value}”重复", found, "text")
        found.raise_if_any()
        return self


@dataclass(frozen=True)
class CommentItem(DataModel):
    id: Id
    text: Annotated[str, Text("题干")]
    max_length: Annotated[int, Range("最多字数", 10, 2000)] = 300


@dataclass(frozen=True)
class FieldSpec(DataModel):
    """An optional respondent field (岗位类别, 单位) the organiser switches on or off."""

    ask: Annotated[bool, Label("是否询问")] = False
    label: Annotated[str, Text("名称")] = ""
    options: Annotated[Names, Label("选项")] = ()

    def validated(self) -> FieldSpec:
        found = Problems()
        _unique(self.options, "options", "{field}有重复的选项", found)
        found.raise_if_any()
        return self


@dataclass(frozen=True)
class RoleField(FieldSpec):
    ask: Annotated[bool, Label("是否询问")] = True
    label: Annotated[str, Text("名称")] = "岗位类别"
    options: Annotated[Names, Label("选项")] = ("机关", "基层")


@dataclass(frozen=True)
class UnitField(FieldSpec):
    label: Annotated[str, Text("名称")] = "单位"


@dataclass(frozen=True)
class RespondentFields(DataModel):
    role: Annotated[RoleField, Label("岗位类别")] = RoleField()
    unit: Annotated[UnitField, Label("单位")] = UnitField()


@dataclass(frozen=True, kw_only=True)
class Questionnaire(DataModel):
    key: Annotated[str, Code("问卷代码")]
    title: Annotated[str, Text("标题")]
    intro: Annotated[str, Text("说明", required=False, lines=True)] = ""
    minutes: Annotated[int, Range("作答时间（分钟）", 1, 120)] = 2
    scale: Annotated[Scale, Label("量表")]
    levels: Annotated[tuple[Level, ...], Label("等级")] = DEFAULT_LEVELS  # best first
    # per dimension; None: half its items, at least one
    min_answered: Annotated[int | None, Range("每个维度至少作答题数", 1, 20)] = None
    dimensions: Annotated[tuple[Dimension, ...], Label("维度")]
    items: Annotated[tuple[Item, ...], Label("题目")]
    overall: Annotated[OverallItem, Label("总体负担题")]
    problems: Annotated[ProblemsItem | None, Label("最突出的问题")] = None
    comment: Annotated[CommentItem | None, Label("意见建议")] = None
    fields: Annotated[RespondentFields, Label("作答人信息")] = RespondentFields()

    @property
    def unknown_label(self) -> str:
        return self.scale.unknown

    @property
    def role(self) -> FieldSpec:
        return self.fields.role

    @property
    def unit(self) -> FieldSpec:
        return self.fields.unit

    @property
    def burden_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind == "burden")

    @property
    def gain_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.kind == "gain")

    def items_of(self, dimension: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.dimension == dimension and i.kind == "burden")

    def dimension(self, key: str) -> Dimension:
        for dim in self.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(key)

    def required_ids(self) -> tuple[str, ...]:
        ids = [i.id for i in self.items if i.required]
        if self.overall.required:
            ids.append(self.overall.id)
        return tuple(ids)

    def question_ids(self) -> tuple[str, ...]:
        """Every answer id in page order (scale items, overall, problems, comment)."""
        ids = [i.id for i in self.items] + [self.overall.id]
        ids += [x.id for x in (self.problems, self.comment) if x is not None]
        return tuple(ids)

    def level(self, score: float | None) -> str:
        """The level label of a 0–100 score; 不足 when there is no score."""
        if score is None:
            return "不足"
        for lowest, label in self.levels:
            if score >= lowest:
                return label
        return self.levels[-1][1]

    def validated(self) -> Questionnaire:
        _form_problems(self).raise_if_any()
        # a gain item belongs to no dimension: scored apart, as the 获得感 index
        items = tuple(replace(i, dimension=None) if i.kind == "gain" else i for i in self.items)
        return replace(self, items=items)


def _unique(values, where: str, message: str, found: Problems, key: str | None = None) -> None:
    """Each value again after its first: ``message`` at its place; it may say {value}
    and {first} (the first one's number)."""
    first: dict = {}
    for n, value in enumerate(values):
        if value and value in first:
            place = (where, n, key) if key else (where,)
            said = message.replace("{value}", str(value)).replace("{first}", str(first[value] + 1))
            found.add(place, said)
        first.setdefault(value, n)


def _form_problems(form: Questionnaire) -> Problems:
    """Rules between the parts of a form: levels, dimensions and their items, ids, wording."""
    found = Problems()
    lows = [level.min for level in form.levels]
    if lows != sorted(lows, reverse=True) or (lows and lows[-1] != 0):
        found.add("levels", "{field}应按最低分从高到低排列，最后一级的 min 为0")
    if not form.dimensions:
        found.add("dimensions", "{field}至少要有一项")
    _unique([d.key for d in form.dimensions], "dimensions", "维度代码“{value}”重复", found, "key")
    _unique(
        [d.name for d in form.dimensions],
        "dimensions",
        "维度名称“{value}”重复：各维度的名称应不同，否则分组结果会混在一起",
        found,
        "name",
    )
    _item_dimensions(form, found)
    _unique([i.text for i in form.items], "items", "{field}与第{first}题相同", found, "text")
    _unique_ids(form, found)
    return found


def _item_dimensions(form: Questionnaire, found: Problems) -> None:
    keys = [d.key for d in form.dimensions]
    for n, item in enumerate(form.items):
        if item.kind != "burden" or item.dimension in keys:
            continue
        if item.dimension is None:
            found.add(("items", n, "dimension"), "缺少{field}：负担题（burden）须写明所属维度")
        elif item.dimension not in broken("dimensions", "key"):
            found.add(
                ("items", n, "dimension"),
                f"{{field}}“{item.dimension}”不在 dimensions 中，应为：{'、'.join(keys)}",
            )
    if not form.burden_items:
        found.add("items", "至少要有一道负担题（kind: burden）")
    for n, dim in enumerate(form.dimensions):
        count = len(form.items_of(dim.key))
        if count == 0 and not incomplete():
            found.add(("dimensions", n), f"维度“{dim.name}”（{dim.key}）没有题目")
        elif form.min_answered and 0 < count < form.min_answered:
            found.add(
                "min_answered",
                f"{{field}}为{form.min_answered}，但维度“{dim.name}”只有{count}道题",
            )


def _unique_ids(form: Questionnaire, found: Problems) -> None:
    """Answers are stored under these ids: one id, one question."""
    places = [(("items", n, "id"), i.id) for n, i in enumerate(form.items)]
    places += [
        ((part, "id"), getattr(form, part).id)
        for part in ("overall", "problems", "comment")
        if getattr(form, part) is not None
    ]
    seen: set[str] = set()
    for where, value in places:
        if value in seen:
            found.add(where, f"题目代码“{value}”重复")
        seen.add(value)
