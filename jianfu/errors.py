"""Errors that carry Chinese messages a user can act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with user input, located as precisely as we can."""

    message: str
    file: str | None = None
    row: int | None = None  # 1-based, as the user sees it in Excel
    column: str | None = None
    sheet: str | None = None  # the workbook's sheet, named in every message about it

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(f"文件“{self.file}”")
        if self.sheet:
            where.append(f"工作表“{self.sheet}”")
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"“{self.column}”列")
        prefix = "".join(where)
        return f"{prefix}：{self.message}" if prefix else self.message


class JianfuError(Exception):
    """Base error; `str()` is a Chinese message safe to show a user."""


class ValidationError(JianfuError):
    """Input was rejected; `problems` lists everything found, not only the first."""

    def __init__(self, problems: list[Problem], limit: int = 50):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - len(shown)
        if more > 0:
            shown.append(f"……另有{more}处问题未列出")
        super().__init__("\n".join(shown))


class DataFileError(JianfuError):
    """A data file (catalog, questionnaire, genre, phrase bank …) is broken.

    ``problems`` holds every line found, each naming the file, the entry and the field.
    """

    def __init__(self, problems: str | list[str], limit: int = 50):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        shown = self.problems[:limit]
        if len(self.problems) > limit:
            shown.append(f"……另有{len(self.problems) - limit}处问题未列出")
        super().__init__("\n".join(shown))


class CatalogError(DataFileError):
    """The indicator catalog (YAML) or a custom indicator is broken."""
