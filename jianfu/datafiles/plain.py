"""Models as plain JSON data and back, read from their type hints (no pydantic).

The cache stores a validated model as :func:`to_plain` data; :func:`from_plain`
builds the same frozen objects again. The same type walk names fields and entries
in messages (:mod:`.messages`).
"""

from __future__ import annotations

import dataclasses
import types
from functools import cache
from typing import Annotated, Literal, Union, get_args, get_origin, get_type_hints

from .fields import Label


@cache
def field_types(model: type) -> dict[str, object]:
    """A model's fields and their annotated types (dataclass or NamedTuple)."""
    hints = get_type_hints(model, include_extras=True)
    if dataclasses.is_dataclass(model):
        return {f.name: hints[f.name] for f in dataclasses.fields(model) if f.init}
    return {name: hints[name] for name in model._fields}


def unwrap(tp: object) -> tuple[object, list]:
    """The type without ``Annotated`` and ``| None``, and the annotations taken off."""
    extras: list = []
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            extras += tp.__metadata__
            tp = get_args(tp)[0]
        elif origin in (Union, types.UnionType):
            rest = [a for a in get_args(tp) if a is not type(None)]
            if len(rest) != 1:
                return tp, extras
            tp = rest[0]
        else:
            return tp, extras


def label_of(extras: list) -> Label | None:
    return next((e for e in extras if isinstance(e, Label)), None)


def is_model(tp: object) -> bool:
    return isinstance(tp, type) and (
        dataclasses.is_dataclass(tp) or (issubclass(tp, tuple) and hasattr(tp, "_fields"))
    )


def item_type(tp: object) -> object | None:
    """What a list, tuple or mapping of entries holds (None for anything else)."""
    origin = get_origin(tp)
    if origin in (tuple, list):
        args = [a for a in get_args(tp) if a is not Ellipsis]
        return args[0] if len(set(args)) == 1 else None
    if origin is dict:
        return get_args(tp)[1]
    return None


def json_data(value: object) -> object:
    """Parsed YAML as JSON data: keys as text, empty (None) values left out."""
    if isinstance(value, dict):
        return {str(k): json_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [json_data(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)  # a date written in YAML, read as its text


def to_plain(value: object) -> object:
    """JSON-ready data: models as mappings of their init fields, tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init
        }
    if isinstance(value, tuple) and hasattr(value, "_fields"):
        return {k: to_plain(v) for k, v in zip(value._fields, value, strict=True)}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    return value


def from_plain(tp: object, value: object) -> object:
    """The object of type ``tp`` that :func:`to_plain` turned into ``value``."""
    tp, _ = unwrap(tp)
    if value is None:
        return None
    if is_model(tp):
        kinds = field_types(tp)
        return tp(**{k: from_plain(kinds[k], v) for k, v in value.items()})
    origin = get_origin(tp)
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in value)
        return tuple(from_plain(a, v) for a, v in zip(args, value, strict=True))
    if origin is list:
        return [from_plain(get_args(tp)[0], v) for v in value]
    if origin is dict:
        return {k: from_plain(get_args(tp)[1], v) for k, v in value.items()}
    if tp is float and isinstance(value, int):
        return float(value)
    if origin is Literal or tp in (str, int, float, bool):
        return value
    raise TypeError(f"cannot rebuild {tp!r}")
