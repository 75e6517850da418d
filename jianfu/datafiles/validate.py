"""Checking parsed data against a model: the only module that imports pydantic.

Values must be what the model declares, with no guessing: data go through JSON and
pydantic's strict mode, so “4” is not a number and “yes” is not true. A key left
empty in YAML (``high:``) counts as not written. Every error is collected, and
checks between entries (duplicates, references) also run when some entries are
broken: on the sound ones (:func:`between_entries`).
"""

from __future__ import annotations

import json
from functools import cache

from pydantic import TypeAdapter, ValidationError

from .model import _BROKEN, Problems
from .plain import field_types, is_model, item_type, unwrap


def validate(model: type, data: object) -> tuple[object | None, list[dict]]:
    """The model built from JSON ``data`` (:func:`.plain.json_data`), or every error found.

    Errors are dicts with ``type``, ``loc`` (the path into ``data``), ``msg`` and
    ``input``; a model's own problems come as type ``problem``.
    """
    try:
        return _check(model, data), []
    except ValidationError as exc:
        errors = _errors(exc)
    return None, errors + between_entries(model, data, errors)


@cache
def _adapter(model: type) -> TypeAdapter:
    return TypeAdapter(model)


def _check(model: type, data: object) -> object:
    return _adapter(model).validate_json(json.dumps(data, ensure_ascii=False), strict=True)


def _errors(exc: ValidationError) -> list[dict]:
    """pydantic's errors, a model's :class:`Problems` spread out one per place."""
    found = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, Problems):
            found += [{"type": "problem", "loc": loc + p, "msg": m} for p, m in cause.found]
        elif error["type"] == "value_error":
            found.append({"type": "problem", "loc": loc, "msg": str(cause)})
        else:
            found.append({**error, "loc": loc})
    return found


def between_entries(model: type, data: object, errors: list[dict]) -> list[dict]:
    """Problems between entries, found with the broken entries set aside.

    Only when every error lies inside an entry of a top-level list (or keyed
    mapping): the document is checked again without those entries, and the
    problems of its own check are reported at the entries' places in the file.
    """
    entries = _entry_fields(model)
    places = [e["loc"] for e in errors]
    if not isinstance(data, dict) or not places:
        return []
    if any(len(p) < 2 or p[0] not in entries or p[0] not in data for p in places):
        return []
    kept, positions, set_aside = dict(data), {}, {}
    for name in {p[0] for p in places}:
        bad = {p[1] for p in places if p[0] == name}
        value = data[name]
        if isinstance(value, list):
            positions[name] = [i for i in range(len(value)) if i not in bad]
            kept[name] = [value[i] for i in positions[name]]
            set_aside[name] = [value[i] for i in sorted(bad) if isinstance(i, int)]
        elif isinstance(value, dict):
            kept[name] = {k: v for k, v in value.items() if k not in bad}
            set_aside[name] = [value[k] for k in bad if k in value]
    token = _BROKEN.set(set_aside)
    try:
        _check(model, kept)
        return []
    except ValidationError as exc:
        again = [e for e in _errors(exc) if len(e["loc"]) >= 2]  # not the lists as a whole
    finally:
        _BROKEN.reset(token)
    for error in again:
        loc = error["loc"]
        if loc[0] in positions and isinstance(loc[1], int):
            error["loc"] = (loc[0], positions[loc[0]][loc[1]], *loc[2:])
    return [e for e in again if e not in errors]


def _entry_fields(model: type) -> set[str]:
    """The top-level fields holding entries (tuples or mappings of models)."""
    if not is_model(model):
        return set()
    found = set()
    for name, tp in field_types(model).items():
        item = item_type(unwrap(tp)[0])
        if item is not None and is_model(unwrap(item)[0]):
            found.add(name)
    return found
