"""Self-assessment questionnaires: data files validated into frozen dataclasses.

A form (data/questionnaires/<key>.yaml) lists dimensions that follow the areas
of the 2024 减负 rules and items on a labelled 5-point scale, all worded in one
direction: agreeing with a statement means a heavier burden. Positive
获得感 items (``kind: gain``) are scored apart, as their own index, so that no
item is ever reversed. Every form has one 0–10 overall item and may have a
multi-select "最突出的问题" and free text. An organisation replaces the files;
every error names the form, the item and the field.

Answers are stored under ids, never under wording: items and options carry an
``id``, dimensions a ``key``, so an organisation can reword a statement or an
option without losing the votes already given. Names must be unique (two
dimensions called 文件 would merge in every breakdown) and on one line (chosen
options are stored one per line).

Only yaml (through datafiles) is imported: the participant page loads this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..datafiles import read_yaml
from ..errors import JianfuError
from ..paths import DATA_FILES

QUESTIONNAIRES = DATA_FILES / "questionnaires"
BUILTIN = ("quick", "full")
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SCALE_POINTS = 5
UNKNOWN = 0  # the 不清楚 answer: stored, never scored
KINDS = ("burden", "gain")
TOP_LEVEL = {
    "key", "title", "intro", "minutes", "scale", "levels", "min_answered",
    "dimensions", "items", "overall", "problems", "comment", "fields",
}  # fmt: skip
DEFAULT_LEVELS = ((80.0, "负担较轻"), (60.0, "负担一般"), (40.0, "负担较重"), (0.0, "负担很重"))
# Scored answers that read like "don't know": beside 不清楚 (not scored) they are synonyms.
UNSURE_WORDS = ("说不准", "说不清", "不好说", "不确定", "不知道", "不清楚", "无法判断")


class QuestionnaireError(JianfuError):
    """A questionnaire file is broken; the message names form, item and field."""


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    category: str  # the phrase bank category that gives its suggestions
    description: str = ""


@dataclass(frozen=True)
class Item:
    """One statement rated on the scale (1–5, or 不清楚)."""

    id: str
    text: str
    dimension: str | None  # None only for gain items
    kind: str = "burden"
    required: bool = True


@dataclass(frozen=True)
class OverallItem:
    id: str
    text: str
    low: str
    high: str
    required: bool = True


@dataclass(frozen=True)
class Option:
    """One choice of the multi-select; votes are stored under ``id``."""

    id: str
    text: str


@dataclass(frozen=True)
class ProblemsItem:
    id: str
    text: str
    options: tuple[Option, ...]
    max_choices: int = 3

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


@dataclass(frozen=True)
class CommentItem:
    id: str
    text: str
    max_length: int = 300


@dataclass(frozen=True)
class FieldSpec:
    """An optional respondent field (岗位类别, 单位) the organiser switches on or off."""

    ask: bool
    label: str
    options: tuple[str, ...] = ()


@dataclass(frozen=True)
class Questionnaire:
    key: str
    title: str
    intro: str
    minutes: int
    scale: tuple[str, ...]  # labels of 1..5
    unknown_label: str
    levels: tuple[tuple[float, str], ...]  # (lowest score, label), best first
    min_answered: int | None  # per dimension; None: half its items, at least one
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]
    overall: OverallItem
    problems: ProblemsItem | None = None
    comment: CommentItem | None = None
    role: FieldSpec = field(default_factory=lambda: FieldSpec(True, "岗位类别", ("机关", "基层")))
    unit: FieldSpec = field(default_factory=lambda: FieldSpec(False, "单位"))

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


# ---- loading ------------------------------------------------------------------


def builtin_forms() -> dict[str, str]:
    """Key -> title of the shipped forms, in order (快速版 first)."""
    return {key: load_questionnaire(key).title for key in BUILTIN}


_CACHE: dict[tuple[str, float], Questionnaire] = {}


def load_questionnaire(name: str | Path) -> Questionnaire:
    """A form by built-in key ("quick", "full") or by file path; cached per file version.

    Raises
    ------
    QuestionnaireError
        naming the form, the item and the field that is wrong.
    """
    path = Path(name) if str(name).endswith((".yaml", ".yml")) else QUESTIONNAIRES / f"{name}.yaml"
    try:
        stamp = path.stat().st_mtime
    except FileNotFoundError:
        raise QuestionnaireError(f"找不到问卷文件：{path}") from None
    cached = _CACHE.get((str(path), stamp))
    if cached is not None:
        return cached
    data = read_yaml(path, "问卷", QuestionnaireError)
    form = parse_questionnaire(data, source=path.name)
    _CACHE[(str(path), stamp)] = form
    return form


def parse_questionnaire(data: object, source: str = "问卷") -> Questionnaire:
    """Validate parsed YAML; every problem is collected before raising."""
    p = _Problems(source)
    if not isinstance(data, dict):
        raise QuestionnaireError(f"问卷“{source}”：顶层应为“字段: 值”的映射")
    for key in data:
        if key not in TOP_LEVEL:
            p.add(f"未知字段“{key}”")
    form_key = _text(p, data, "key", "问卷代码")
    if form_key and not ID_PATTERN.match(form_key):
        p.add("字段“key”（问卷代码）只能用小写字母、数字和下划线，以字母开头")
    title = _text(p, data, "title", "标题")
    intro = _text(p, data, "intro", "说明", required=False, lines=True)
    minutes = _int(p, data, "minutes", "作答时间（分钟）", default=2, low=1, high=120)
    scale, unknown = _scale(p, data.get("scale"))
    levels = _levels(p, data.get("levels"))
    min_answered = _int(
        p, data, "min_answered", "每个维度至少作答题数", default=None, low=1, high=20
    )
    dimensions = _dimensions(p, data.get("dimensions"))
    items = _items(p, data.get("items"), {d.key for d in dimensions})
    used = {i.dimension for i in items if i.kind == "burden"}
    for dim in dimensions:
        if dim.key not in used:
            p.add(f"维度“{dim.name}”（{dim.key}）没有题目")
    if min_answered:
        for dim in dimensions:
            count = sum(1 for i in items if i.dimension == dim.key and i.kind == "burden")
            if dim.key in used and count < min_answered:
                p.add(f"字段“min_answered”为{min_answered}，但维度“{dim.name}”只有{count}道题")
    overall = _overall(p, data.get("overall"))
    problems = _problems_item(p, data.get("problems"))
    comment = _comment(p, data.get("comment"))
    role, unit = _fields(p, data.get("fields"))
    ids = [i.id for i in items] + [x.id for x in (overall, problems, comment) if x is not None]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        p.add(f"题目代码“{dup}”重复")
    texts = [i.text for i in items]
    for n, text in enumerate(texts):
        if text and text in texts[:n]:
            p.add(f"题干与第{texts.index(text) + 1}题相同", f"第{n + 1}题（{items[n].id}）")
    p.raise_if_any()
    return Questionnaire(
        key=form_key,
        title=title,
        intro=intro,
        minutes=minutes,
        scale=scale,
        unknown_label=unknown,
        levels=levels,
        min_answered=min_answered,
        dimensions=tuple(dimensions),
        items=tuple(items),
        overall=overall,
        problems=problems,
        comment=comment,
        role=role,
        unit=unit,
    )


class _Problems:
    def __init__(self, source: str):
        self.source = source
        self.found: list[str] = []

    def add(self, message: str, where: str = "") -> None:
        self.found.append(f"问卷“{self.source}”{where}：{message}")

    def raise_if_any(self) -> None:
        if self.found:
            raise QuestionnaireError("\n".join(self.found))


def _text(
    p: _Problems, entry: dict, key: str, label: str, where: str = "", required=True, lines=False
) -> str:
    """A text field; only ``lines=True`` fields (说明) may run over several lines."""
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            p.add(f"缺少字段“{key}”（{label}）", where)
        return ""
    if not isinstance(value, str | int):
        p.add(f"字段“{key}”（{label}）应为文字", where)
        return ""
    text = str(value).strip()
    if not lines and _has_break(text):
        p.add(f"字段“{key}”（{label}）不能含换行", where)
    return text


def _has_break(text: str) -> bool:
    return any(c in text for c in "\r\n\u2028\u2029\x0b\x0c\x85")


def _int(p, entry, key, label, default, low, high, where=""):
    value = entry.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        p.add(f"字段“{key}”（{label}）应为{low}到{high}之间的整数，现为“{value}”", where)
        return default
    return value


def _bool(p, entry, key, label, default, where=""):
    value = entry.get(key, default)
    if not isinstance(value, bool):
        p.add(f"字段“{key}”（{label}）应为 true 或 false，现为“{value}”", where)
        return default
    return value


def _labels(p, value, key, label, where="", count=None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        p.add(f"字段“{key}”（{label}）应为非空文字的列表", where)
        return ()
    labels = tuple(v.strip() for v in value)
    if any(_has_break(label) for label in labels):
        p.add(f"字段“{key}”（{label}）的选项不能含换行", where)
    if count is not None and len(labels) != count:
        p.add(f"字段“{key}”（{label}）应有{count}项，现有{len(labels)}项", where)
    if len(set(labels)) != len(labels):
        p.add(f"字段“{key}”（{label}）有重复的选项", where)
    return labels


def _scale(p: _Problems, value: object) -> tuple[tuple[str, ...], str]:
    if not isinstance(value, dict):
        p.add("缺少字段“scale”（量表），应写明 labels（5个选项）和 unknown（不清楚）")
        return (), ""
    labels = _labels(p, value.get("labels"), "labels", "量表选项", "量表", count=SCALE_POINTS)
    unknown = _text(p, value, "unknown", "不清楚选项", "量表")
    for label in labels:
        if any(word in label for word in UNSURE_WORDS):
            p.add(
                f"计分的选项“{label}”与不计分的“{unknown}”意思相近，作答者分不清；"
                "只保留一个不计分的选项（unknown），中间一档请用“部分符合”之类的说法",
                "量表",
            )
    return labels, unknown


def _levels(p: _Problems, value: object) -> tuple[tuple[float, str], ...]:
    if value is None:
        return DEFAULT_LEVELS
    levels = []
    if not isinstance(value, list) or not value:
        p.add("字段“levels”（等级）应为列表，每项写 min 和 label")
        return DEFAULT_LEVELS
    for n, entry in enumerate(value, 1):
        where = f"等级第{n}项"
        if not isinstance(entry, dict):
            p.add("应写 min（最低分）和 label（名称）", where)
            continue
        low = entry.get("min")
        if isinstance(low, bool) or not isinstance(low, int | float) or not 0 <= low <= 100:
            p.add(f"字段“min”（最低分）应为0到100之间的数，现为“{low}”", where)
            continue
        label = _text(p, entry, "label", "名称", where)
        levels.append((float(low), label))
    lows = [low for low, _ in levels]
    if lows != sorted(lows, reverse=True) or (lows and lows[-1] != 0):
        p.add("字段“levels”（等级）应按最低分从高到低排列，最后一级的 min 为0")
    return tuple(levels) or DEFAULT_LEVELS


def _dimensions(p: _Problems, value: object) -> list[Dimension]:
    if not isinstance(value, list) or not value:
        p.add("缺少字段“dimensions”（维度），应为列表")
        return []
    dims, seen, names = [], set(), set()
    for n, entry in enumerate(value, 1):
        where = f"维度第{n}项"
        if not isinstance(entry, dict):
            p.add("应写 key、name", where)
            continue
        key = _text(p, entry, "key", "维度代码", where)
        name = _text(p, entry, "name", "名称", where)
        where = f"维度“{name or key}”" if not _has_break(name) else where
        if key and not ID_PATTERN.match(key):
            p.add("字段“key”（维度代码）只能用小写字母、数字和下划线，以字母开头", where)
        if key in seen:
            p.add(f"维度代码“{key}”重复", where)
        if name and name in names:
            p.add(f"维度名称“{name}”重复：各维度的名称应不同，否则分组结果会混在一起", where)
        seen.add(key)
        names.add(name)
        unknown = [k for k in entry if k not in ("key", "name", "category", "description")]
        for k in unknown:
            p.add(f"未知字段“{k}”", where)
        category = _text(p, entry, "category", "短语库类别", where, required=False) or name
        description = _text(p, entry, "description", "说明", where, required=False, lines=True)
        dims.append(Dimension(key, name, category, description))
    return dims


def _items(p: _Problems, value: object, dimensions: set[str]) -> list[Item]:
    if not isinstance(value, list) or not value:
        p.add("缺少字段“items”（题目），应为列表")
        return []
    items = []
    for n, entry in enumerate(value, 1):
        if not isinstance(entry, dict):
            p.add("应写 id、text、dimension", f"第{n}题")
            continue
        item_id = entry.get("id")
        where = f"第{n}题（{item_id}）" if item_id else f"第{n}题"
        item_id = _text(p, entry, "id", "题目代码", where)
        if item_id and not ID_PATTERN.match(item_id):
            p.add("字段“id”（题目代码）只能用小写字母、数字和下划线，以字母开头", where)
        for k in entry:
            if k not in ("id", "text", "dimension", "kind", "required"):
                p.add(f"未知字段“{k}”", where)
        text = _text(p, entry, "text", "题干", where)
        kind = entry.get("kind", "burden")
        if kind not in KINDS:
            p.add(
                f"字段“kind”（题目类型）应为 burden（负担）或 gain（获得感），现为“{kind}”", where
            )
            kind = "burden"
        dim = entry.get("dimension")
        if kind == "burden" and dim not in dimensions:
            p.add(f"字段“dimension”（所属维度）“{dim}”不在 dimensions 中", where)
        required = _bool(p, entry, "required", "必答", True, where)
        items.append(Item(item_id, text, dim if dim in dimensions else None, kind, required))
    if not any(i.kind == "burden" for i in items):
        p.add("至少要有一道负担题（kind: burden）")
    return items


def _overall(p: _Problems, value: object) -> OverallItem:
    where = "总体负担题（overall）"
    if not isinstance(value, dict):
        p.add("缺少字段“overall”（0—10分的总体负担题）")
        return OverallItem("overall", "", "", "")
    for k in value:
        if k not in ("id", "text", "low", "high", "required"):
            p.add(f"未知字段“{k}”", where)
    return OverallItem(
        _text(p, value, "id", "题目代码", where),
        _text(p, value, "text", "题干", where),
        _text(p, value, "low", "0分的含义", where),
        _text(p, value, "high", "10分的含义", where),
        _bool(p, value, "required", "必答", True, where),
    )


def _problems_item(p: _Problems, value: object) -> ProblemsItem | None:
    if value is None:
        return None
    where = "最突出的问题（problems）"
    if not isinstance(value, dict):
        p.add("应写 id、text、options", where)
        return None
    for k in value:
        if k not in ("id", "text", "options", "max_choices"):
            p.add(f"未知字段“{k}”", where)
    options = _options(p, value.get("options"), where)
    if options and len(options) < 2:
        p.add("字段“options”（选项）至少要有2项", where)
    return ProblemsItem(
        _text(p, value, "id", "题目代码", where),
        _text(p, value, "text", "题干", where),
        options,
        _int(p, value, "max_choices", "最多可选", 3, 1, max(len(options), 1), where),
    )


def _options(p: _Problems, value: object, where: str) -> tuple[Option, ...]:
    """Options as ``{id, text}``: the id keeps the votes when the text is reworded."""
    if not isinstance(value, list) or not value:
        p.add("字段“options”（选项）应为列表，每项写 id（选项代码）和 text（文字）", where)
        return ()
    options: list[Option] = []
    for n, entry in enumerate(value, 1):
        at = f"{where}选项第{n}项"
        if not isinstance(entry, dict):
            p.add(
                f"应写 id（选项代码）和 text（文字），如 {{id: p{n:02d}, text: {entry}}}；"
                "选项代码写定后不要再改，改文字不会丢失已有的选择",
                at,
            )
            continue
        for k in entry:
            if k not in ("id", "text"):
                p.add(f"未知字段“{k}”", at)
        option_id = _text(p, entry, "id", "选项代码", at)
        text = _text(p, entry, "text", "文字", at)
        if option_id and not ID_PATTERN.match(option_id):
            p.add("字段“id”（选项代码）只能用小写字母、数字和下划线，以字母开头", at)
        if option_id and option_id in [o.id for o in options]:
            p.add(f"选项代码“{option_id}”重复", at)
        if text and text in [o.text for o in options]:
            p.add(f"选项“{text}”重复", at)
        options.append(Option(option_id, text))
    return tuple(options)


def _comment(p: _Problems, value: object) -> CommentItem | None:
    if value is None:
        return None
    where = "意见建议（comment）"
    if not isinstance(value, dict):
        p.add("应写 id、text", where)
        return None
    for k in value:
        if k not in ("id", "text", "max_length"):
            p.add(f"未知字段“{k}”", where)
    return CommentItem(
        _text(p, value, "id", "题目代码", where),
        _text(p, value, "text", "题干", where),
        _int(p, value, "max_length", "最多字数", 300, 10, 2000, where),
    )


def _fields(p: _Problems, value: object) -> tuple[FieldSpec, FieldSpec]:
    role = FieldSpec(True, "岗位类别", ("机关", "基层"))
    unit = FieldSpec(False, "单位")
    if value is None:
        return role, unit
    if not isinstance(value, dict):
        p.add("字段“fields”应写 role（岗位类别）和 unit（单位）")
        return role, unit
    for k in value:
        if k not in ("role", "unit"):
            p.add(f"字段“fields”下的未知字段“{k}”，应为 role 或 unit")
    specs = []
    for key, default in (("role", role), ("unit", unit)):
        entry = value.get(key)
        if entry is None:
            specs.append(default)
            continue
        where = f"字段“fields.{key}”"
        if not isinstance(entry, dict):
            p.add("应写 ask（是否询问）和 label（名称）", where)
            specs.append(default)
            continue
        options = default.options
        if "options" in entry:
            options = _labels(p, entry.get("options"), "options", "选项", where)
        specs.append(
            FieldSpec(
                _bool(p, entry, "ask", "是否询问", default.ask, where),
                _text(p, entry, "label", "名称", where, required=False) or default.label,
                options,
            )
        )
    return specs[0], specs[1]
