"""The base of every data-file model and the problems a model's own checks report.

A model is a frozen dataclass deriving from :class:`DataModel`. Its fields say their
type, Chinese label and rule (:mod:`.fields`); checks that need several fields or
entries (a ratio's parts, duplicate ids) go in :meth:`DataModel.validated`, which the
validation layer runs after the fields are checked, and only then: an object built
in code or read back from the cache is not checked again.

This module imports no pydantic: pages build these objects from the cache without it.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import ClassVar, Self

Where = str | int | tuple[str | int, ...]

# entries set aside because they have errors of their own (see validate.between_entries)
_BROKEN: ContextVar[dict[str, list] | None] = ContextVar("broken_entries", default=None)


class Problems(ValueError):
    """What a model's check found, each at a place inside the model.

    A place is a field name, or a path such as ``("items", 2, "id")``. A message may
    say ``{field}`` where the field is named (“字段“题干”（text）”).
    """

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[tuple[str | int, ...], str]] = []

    def add(self, where: Where, message: str) -> None:
        place = where if isinstance(where, tuple) else (where,)
        self.found.append((place, message))

    def raise_if_any(self) -> None:
        if self.found:
            raise self

    def __str__(self) -> str:
        return "；".join(
            message.replace("{field}", f"字段“{'.'.join(map(str, place))}”")
            for place, message in self.found
        )


class DataModel:
    """Base of the data-file models (frozen dataclasses).

    ``__entry__`` says how one entry of a list is called in messages (“第{n}题”) and
    ``__entry_id__`` which fields name it, the first one present (“第3题（q03）”).
    """

    __pydantic_config__: ClassVar[dict] = {"extra": "forbid", "allow_inf_nan": False}
    __entry__: ClassVar[str] = "第{n}项"
    __entry_id__: ClassVar[tuple[str, ...]] = ()

    def validated(self) -> Self:
        """This entry as the file means it (defaults filled in), or :class:`Problems`."""
        return self

    @classmethod
    def __get_pydantic_core_schema__(cls, source, handler):
        """Run :meth:`validated` after pydantic has checked the fields (validation only)."""
        from pydantic_core import core_schema

        schema = handler(source)
        if cls.validated is DataModel.validated:
            return schema
        return core_schema.no_info_after_validator_function(lambda obj: obj.validated(), schema)


def broken(field: str, key: str) -> set:
    """Values of ``key`` in the entries of ``field`` set aside for errors of their own.

    Checks across entries run on the sound entries while broken ones are reported;
    a reference to a broken entry is not “missing”.
    """
    entries = (_BROKEN.get() or {}).get(field, ())
    return {e.get(key) for e in entries if isinstance(e, dict)}


def incomplete() -> bool:
    """True while checks run with broken entries set aside: an absence proves nothing."""
    return bool(_BROKEN.get())
