"""A data-file field's label and rule, written beside its type: ``Annotated[str, Text("题干")]``.

The label names the field in messages (“字段“题干”（text）”); the rule is checked
when a file is validated, by pydantic through ``__get_pydantic_core_schema__``.
Nothing here imports pydantic until a file is actually validated. A rule's message
may say ``{field}``, which the formatter replaces with the field's name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import get_args

_BREAKS = re.compile("[\r\n\u2028\u2029\x0b\x0c\x85]")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$")


def has_break(text: str) -> bool:
    """A line break of any kind: names are stored one per line and must not have one."""
    return _BREAKS.search(text) is not None


class Label:
    """A field's Chinese label; ``choices`` glosses allowed values (burden → 负担)."""

    def __init__(self, label: str, choices: Mapping[str, str] | None = None):
        self.label = label
        self.choices = dict(choices or {})

    def check(self, value):
        return value

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        schema = handler(source)
        if type(self).check is Label.check:
            return schema
        return core_schema.no_info_after_validator_function(self.check, schema)


class Text(Label):
    """Text without spaces at either end; one line unless ``lines``; blank only if optional."""

    def __init__(self, label: str, required: bool = True, lines: bool = False):
        super().__init__(label)
        self.required, self.lines = required, lines

    def check(self, value: str) -> str:
        text = value.strip()
        if self.required and not text:
            raise ValueError("{field}不能为空")
        if not self.lines and has_break(text):
            raise ValueError("{field}不能含换行")
        return text


class Code(Label):
    """A stable id answers and data are stored under: lower-case letters, digits, ``_``."""

    def __init__(self, label: str, longest: int = 40):
        super().__init__(label)
        self.longest = longest

    def check(self, value: str) -> str:
        if not _CODE.match(value) or len(value) > self.longest:
            raise ValueError(
                f"{{field}}只能用小写英文字母、数字和下划线，以字母开头，不超过{self.longest}个字符，"
                f"现为“{value}”"
            )
        return value


class Range(Label):
    """A number from ``low`` to ``high``; a whole number unless ``whole=False``."""

    def __init__(self, label: str, low: float, high: float, whole: bool = True):
        super().__init__(label)
        self.low, self.high, self.whole = low, high, whole

    def check(self, value: object) -> int | float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if (
            not number
            or (self.whole and not isinstance(value, int))
            or not (self.low <= value <= self.high)
        ):
            kind = "整数" if self.whole else "数"
            raise ValueError(f"{{field}}应为{self.low:g}到{self.high:g}之间的{kind}，现为“{value}”")
        return value if self.whole else float(value)

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(self.check)


class Positive(Range):
    """A number above zero (分钟), or a whole number (字) with ``whole=True``."""

    def __init__(self, label: str, whole: bool = False):
        super().__init__(label, 0, float("inf"), whole)

    def check(self, value: object) -> int | float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or value <= 0 or (self.whole and not isinstance(value, int)):
            raise ValueError(f"{{field}}应为正{'整数' if self.whole else '数'}，现为“{value}”")
        return value if self.whole else float(value)


class Derived(Label):
    """Set by the program (a file's name, a custom flag), never written in a file."""

    def __init__(self, label: str, note: str = "由程序填写，文件中不要写"):
        super().__init__(label)
        self.note = note

    def check(self, value):
        raise ValueError("{field}" + self.note)


class Keyed(Label):
    """Entries written in the file as a mapping from each entry's name (``文件: {…}``).

    Validated as that mapping, kept as a tuple whose entries hold their name in
    ``key`` (a :class:`Derived` field of the entry).
    """

    def __init__(self, label: str, key: str = "name"):
        super().__init__(label)
        self.key = key

    def __get_pydantic_core_schema__(self, source, handler):
        from pydantic_core import core_schema

        item = next(a for a in get_args(source) if a is not Ellipsis)
        mapping = handler.generate_schema(dict[str, item])
        return core_schema.no_info_after_validator_function(self._entries, mapping)

    def _entries(self, mapping: dict) -> tuple:
        return tuple(dataclasses.replace(v, **{self.key: k}) for k, v in mapping.items())
