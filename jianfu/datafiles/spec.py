"""A kind of data file: its model, what users call it, and the error it raises.

Adding a kind of data file (台账类型, say) is a model and one call::

    REGISTER_KINDS = DataFile(RegisterKind, "台账类型", RegisterError)
    kinds = REGISTER_KINDS.load_folder(DATA_FILES / "registers", key=lambda k: k.name)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Generic, TypeVar

from ..errors import DataFileError
from ..text.characters import cleaned_strings
from .cache import remember
from .plain import json_data
from .reading import parse_yaml, read_bytes

T = TypeVar("T")


@dataclass(frozen=True)
class DataFile(Generic[T]):
    model: type[T]
    what: str  # as users call the file: 指标目录, 问卷, 体裁, 短语库
    error: type[DataFileError] = DataFileError
    source_field: str | None = None  # a field that holds the file's name (Genre.source)

    def load(self, path: str | Path) -> T:
        """The file's model; ``error`` listing every problem (file, entry, field) if broken."""
        path = Path(path)
        raw = read_bytes(path, self.what, self.error)

        def build() -> T:
            return self._validated(parse_yaml(raw, path.name, self.what, self.error), path.name)

        return remember(self.model, (path.name, raw), build)

    def parse(self, data: object, source: str | None = None) -> T:
        """The model of already-parsed data (a form's entry, a database row, a test's dict)."""
        plain = json_data(cleaned_strings(data))
        text = json.dumps(plain, ensure_ascii=False)  # key order is meaningful (categories)
        return remember(self.model, (source or "", text), lambda: self._validated(plain, source))

    def load_folder(
        self, folder: str | Path, key: Callable[[T], str], label: str, skip: tuple[str, ...] = ()
    ) -> dict[str, T]:
        """Every ``*.yaml`` of ``folder`` but those named in ``skip``, by ``key``; all problems
        of all files at once, and a ``key`` (``label``: 体裁名称) used by two files."""
        folder = Path(folder)
        paths = sorted(p for p in folder.glob("*.yaml") if p.name not in skip)
        if not paths:
            raise self.error(f"文件夹“{folder}”中没有{self.what}文件（*.yaml）")
        found: dict[str, tuple[str, T]] = {}
        problems: list[str] = []
        for path in paths:
            try:
                value = self.load(path)
            except DataFileError as exc:
                problems += exc.problems
                continue
            name = key(value)
            if name in found:
                first = found[name][0]
                problems.append(f"{self.head(path.name)}：{label}“{name}”与“{first}”重复")
            else:
                found[name] = (path.name, value)
        if problems:
            raise self.error(problems)
        return {name: value for name, (_, value) in found.items()}

    def head(self, source: str | None) -> str:
        """The file as messages name it: 问卷“quick.yaml”."""
        return f"{self.what}“{source}”" if source else self.what

    def _validated(self, data: object, source: str | None) -> T:
        from .validate import validate  # pydantic: only when a file is new or changed

        plain = json_data(data)
        value, errors = validate(self.model, plain)
        if errors:
            from .messages import describe

            raise self.error(describe(errors, self.model, plain, self.head(source)))
        if self.source_field and source:
            value = replace(value, **{self.source_field: source})
        return value
