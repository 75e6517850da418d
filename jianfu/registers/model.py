"""A register kind (发文, 会议, 督检考) as a data-file model: its fields, typed, with allowed values.

Users may add fields to a kind's file; the fields the derivation and the warnings
read (:data:`REQUIRED`) must be there with their type, checked when the file loads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from ..datafiles import Code, DataModel, Label, Problems, Text
from ..errors import DataFileError

TYPES = {
    "date": "日期",
    "text": "文本",
    "int": "整数",
    "number": "数",
    "bool": "是否",
    "choice": "选项",
}

# kind code -> the fields the program reads, with their type
REQUIRED: dict[str, dict[str, str]] = {
    "documents": {
        "date": "date",
        "doc_no": "text",
        "title": "text",
        "kind": "choice",
        "chars": "int",
        "planned": "bool",
        "combined": "bool",
        "to_level": "choice",
    },
    "meetings": {
        "date": "date",
        "name": "text",
        "kind": "choice",
        "form": "choice",
        "minutes": "number",
        "speech_minutes": "number",
        "audience": "choice",
        "planned": "bool",
        "both_leaders": "bool",
    },
    "inspections": {
        "date": "date",
        "item": "text",
        "kind": "choice",
        "form": "choice",
        "planned": "bool",
    },
}


class RegisterError(DataFileError):
    """A register kind file or a register row is wrong; the message names where."""


@dataclass(frozen=True, kw_only=True)
class RegisterField(DataModel):
    """One column of a register: code (stored), label (shown and read in headers), type."""

    __entry__ = "第{n}个字段"
    __entry_id__ = ("code", "label")

    code: Annotated[str, Code("代号")]
    label: Annotated[str, Text("名称")]
    type: Annotated[Literal[tuple(TYPES)], Label("类型", TYPES)]
    choices: Annotated[tuple[Annotated[str, Text("选项")], ...], Label("可选值")] = ()
    required: Annotated[bool, Label("必填")] = False
    aliases: Annotated[tuple[Annotated[str, Text("别名")], ...], Label("表头别名")] = ()
    help: Annotated[str, Text("说明", required=False)] = ""

    def validated(self) -> RegisterField:
        found = Problems()
        if self.type == "choice" and not self.choices:
            found.add("choices", "{field}：类型为“选项”时要列出可选值")
        if self.type != "choice" and self.choices:
            found.add("choices", "{field}只用于类型为“选项”的字段")
        if len(set(self.choices)) != len(self.choices):
            found.add("choices", "{field}中有重复的选项")
        found.raise_if_any()
        return self


@dataclass(frozen=True, kw_only=True)
class RegisterKind(DataModel):
    """A kind of register: 发文登记簿, 会议台账, 督检考备案."""

    code: Annotated[str, Code("代号")]
    name: Annotated[str, Text("台账名称")]
    item: Annotated[str, Text("事项量词")] = "件"  # 件, 次, 项
    description: Annotated[str, Text("说明", required=False, lines=True)] = ""
    fields: Annotated[tuple[RegisterField, ...], Label("字段")]
    # each group of fields that, all filled and equal, marks two rows as the same item
    duplicates: Annotated[
        tuple[tuple[Annotated[str, Text("字段代号")], ...], ...], Label("重复判断")
    ] = ()
    order: Annotated[int, Label("排列顺序")] = 100

    def field(self, code: str) -> RegisterField:
        return next(f for f in self.fields if f.code == code)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.fields)

    def validated(self) -> RegisterKind:
        found = Problems()
        seen: dict[str, int] = {}
        for n, f in enumerate(self.fields):
            for key in (f.code, f.label):
                if key in seen and seen[key] != n:
                    found.add(("fields", n), f"“{key}”与第{seen[key] + 1}个字段重复")
                seen.setdefault(key, n)
        codes = {f.code: f for f in self.fields}
        for code, type_ in REQUIRED.get(self.code, {}).items():
            if code not in codes:
                found.add(
                    "fields", f"{{field}}缺少程序计算指标所需的字段“{code}”（{TYPES[type_]}）"
                )
            elif codes[code].type != type_:
                found.add("fields", f"{{field}}中“{code}”的类型应为“{TYPES[type_]}”")
        if "date" not in codes:
            found.add("fields", "{field}缺少日期字段“date”")
        for n, group in enumerate(self.duplicates):
            for code in group:
                if code not in codes:
                    found.add(("duplicates", n), f"{{field}}中的字段“{code}”不存在")
        found.raise_if_any()
        return self
