"""The one Chinese formatter of data-file errors: file, entry, field, what is wrong.

Every line reads “问卷“quick.yaml”第3题（q03）：字段“所属维度”（dimension）…”: the file
as the user knows it, the entry by its position and id (or name), the field by its
Chinese label and the key written in the file. Labels and entry names come from
the model (:mod:`.fields`, :class:`.model.DataModel`); no loader words its own.
"""

from __future__ import annotations

import dataclasses
import difflib
from typing import Literal, get_args, get_origin

from .fields import Derived, has_break
from .plain import field_types, is_model, item_type, label_of, unwrap

MAPPING = "“字段: 值”的映射"
_TYPES = {
    "string_type": "应为文字",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "finite_number": "应为数字",
    "bool_type": "应为 true 或 false",
    "list_type": "应为列表",
    "tuple_type": "应为列表",
    "dict_type": f"应为{MAPPING}",
}
_MAPPING_TYPES = ("dataclass_type", "dataclass_args_type", "model_type", "arguments_type")


def describe(errors: list[dict], model: type, data: object, head: str) -> list[str]:
    """One line per error, in the order of the file; ``head`` names it (“问卷“quick.yaml””)."""
    lines = []
    for error in sorted(errors, key=lambda e: _position(e["loc"], data)):
        place = _Place(model, data)
        for step in error["loc"]:
            place.step(step)
        line = f"{head}{place.where()}：{_message(error, place)}"
        lines.append("".join("↵" if has_break(c) else c for c in line))  # one line each
    return list(dict.fromkeys(lines))


class _Place:
    """Where an error's path leads: the entries passed and the field reached."""

    def __init__(self, model: type, data: object):
        self.type, self.raw = model, data
        self.parts: list[str] = []
        self.chain: list[str] = []  # nested fields since the last entry: fields.role
        self.field: tuple[str, str | None, int | None] | None = None  # key, label, item
        self.extras: list = []
        self.owner: type | None = None  # the model the last field belongs to

    def step(self, step: str | int) -> None:
        tp, _ = unwrap(self.type)
        if is_model(tp) and isinstance(step, str):
            self._into_field(tp, step)
        elif item_type(tp) is not None:
            self._into_entry(tp, step)
        else:
            self.type = None

    def _into_field(self, model: type, key: str) -> None:
        if self.field is not None:  # through a nested object: overall.high
            key_, label, _ = self.field
            self.chain.append(key_)
            if self.parts and self.parts[-1].endswith("）") and len(self.chain) > 1:
                self.parts.pop()
            self.parts.append(f"{label or key_}（{'.'.join(self.chain)}）")
        self.owner = model
        kinds = field_types(model)
        self.raw = self.raw.get(key) if isinstance(self.raw, dict) else None
        if key not in kinds:
            self.field, self.type, self.extras = (key, None, None), None, []
            return
        self.type = kinds[key]
        self.extras = unwrap(self.type)[1]
        label = label_of(self.extras)
        self.field = (key, label.label if label else None, None)

    def _into_entry(self, container: object, step: str | int) -> None:
        item = item_type(container)
        raw = self.raw
        self.raw = raw[step] if _has(raw, step) else None
        self.type = item
        model, extras = unwrap(item)
        if not is_model(model):  # one text of a list: 字段“量表选项”（labels）第3项
            if self.field is not None and isinstance(step, int):
                self.field = (self.field[0], self.field[1], step + 1)
            self.extras = extras or self.extras
            return
        label = self.field[1] if self.field else None
        self.parts.append(_entry_name(model, step, self.raw, label))
        self.field, self.chain, self.extras = None, [], []

    def where(self) -> str:
        return "".join(self.parts)

    def phrase(self) -> str:
        """The field as messages name it: 字段“指标名称”（name）."""
        if self.field is None:
            return ""
        key, label, item = self.field
        named = f"字段“{label}”（{key}）" if label else f"字段“{key}”"
        return named + (f"第{item}项" if item else "")


def _position(loc: tuple, data: object) -> tuple[int, ...]:
    """Where a path leads in the file, top to bottom (a missing key after the written ones)."""
    place, raw = [], data
    for step in loc:
        if isinstance(raw, dict):
            keys = list(raw)
            place.append(keys.index(step) if step in keys else len(keys))
        else:
            place.append(step if isinstance(step, int) else 0)
        raw = raw[step] if _has(raw, step) else None
    return tuple(place)


def _has(raw: object, step: str | int) -> bool:
    if isinstance(raw, list):
        return isinstance(step, int) and 0 <= step < len(raw)
    return isinstance(raw, dict) and step in raw


def _entry_name(model: type, step: str | int, raw: object, label: str | None) -> str:
    """“第3题（q03）”, “维度第1项（文件）”, or a keyed entry “类别“文件””."""
    if isinstance(step, str):
        return f"{label or ''}“{_shown(step)}”"
    name = getattr(model, "__entry__", "第{n}项").format(n=step + 1)
    ids = getattr(model, "__entry_id__", ())
    raw = raw if isinstance(raw, dict) else {}
    named = [raw.get(k) for k in ids]
    found = next((v.strip() for v in named if isinstance(v, str) and _one_line(v)), None)
    return f"{name}（{_shown(found)}）" if found else name


def _one_line(text: str) -> bool:
    return bool(text.strip()) and not has_break(text.strip())


def _message(error: dict, place: _Place) -> str:
    kind, field = error["type"], place.phrase()
    if kind == "problem":
        text = error["msg"]
        return text.replace("{field}", field) if "{field}" in text else text
    if kind in ("missing", "missing_argument"):
        return f"缺少{field}"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        return _unknown(place)
    if kind == "literal_error":
        return f"{field}的值“{_shown(error.get('input'))}”无效，应为：{_choices(place)}"
    if kind in _TYPES:
        return f"{field or '这一项'}{_TYPES[kind]}{_now(error.get('input'))}"
    if kind in _MAPPING_TYPES or place.type is not None and is_model(unwrap(place.type)[0]):
        return _mapping(field, place)
    return f"{field or '这一项'}的值“{_shown(error.get('input'))}”不符合要求"


def _mapping(field: str, place: _Place) -> str:
    """A mapping was expected: say which fields it needs."""
    model = unwrap(place.type)[0] if place.type is not None else None
    need = ""
    if model is not None and is_model(model):
        required = _listed(model, required_only=True)
        need = (
            f"，写明 {'、'.join(required)}" if required else f"，可写 {'、'.join(_listed(model))}"
        )
        need += f"；{model.__hint__}" if getattr(model, "__hint__", "") else ""
    if field:
        return f"{field}应为{MAPPING}{need}"
    if not place.parts:
        return f"顶层应为{MAPPING}{need}"
    return f"应为{MAPPING}{need}"


def _unknown(place: _Place) -> str:
    key = place.field[0] if place.field else ""
    model = place.owner
    if model is None:
        return f"未知字段“{key}”"
    kinds = field_types(model)
    close = difflib.get_close_matches(key, _written(model), n=1, cutoff=0.6)
    if close:
        label = label_of(unwrap(kinds[close[0]])[1])
        gloss = f"（{label.label}）" if label else ""
        return f"未知字段“{key}”，是不是“{close[0]}”{gloss}？"
    return f"未知字段“{key}”，可用字段：{'、'.join(_listed(model))}"


def _written(model: type) -> list[str]:
    """The fields a file may write (not those the program sets)."""
    kinds = field_types(model)
    return [k for k in kinds if not isinstance(label_of(unwrap(kinds[k])[1]), Derived)]


def _listed(model: type, required_only: bool = False) -> list[str]:
    """A model's fields as “key（标签）”, the required ones or all a file may write."""
    names = _written(model)
    if required_only and dataclasses.is_dataclass(model):
        names = [
            f.name
            for f in dataclasses.fields(model)
            if f.init
            and f.default is dataclasses.MISSING
            and f.default_factory is dataclasses.MISSING
        ]
    out = []
    for name in names:
        label = label_of(unwrap(field_types(model)[name])[1])
        out.append(f"{name}（{label.label}）" if label else name)
    return out


def _choices(place: _Place) -> str:
    tp = unwrap(place.type)[0] if place.type is not None else None
    values = get_args(tp) if get_origin(tp) is Literal else ()
    label = label_of(place.extras)
    glosses = label.choices if label else {}
    return "、".join(f"{v}（{glosses[v]}）" if v in glosses else str(v) for v in values)


def _shown(value: object) -> str:
    """A value quoted in a message, cut short."""
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "……"


def _now(value: object) -> str:
    if isinstance(value, dict | list) or value is None:
        return ""
    return f"，现为“{_shown(value)}”"
