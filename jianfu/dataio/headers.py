"""What each column of an upload is: a role (单位, 时期 …), an indicator, or neither.

Headers are matched as typed, then with full-width forms folded and spaces removed,
codes in any case (DOC_COUNT), and traditional characters read as simplified (a
Big5 file says 單位, 發文數量). A column that matches nothing gets the nearest
names in the catalog as a suggestion.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from ..catalog import Catalog, Indicator
from ..text.names import has_text, squash
from .rules import say

# header text (after NFKC and removing spaces) -> role
ROLES = {
    "unit": ("单位", "单位名称", "填报单位"),
    "period": ("时期", "年度", "年份", "期间"),
    "indicator": ("指标", "指标名称"),
    "code": ("指标代码",),
    "value": ("数值", "值", "指标值"),
    "note": ("备注",),
    "measure": ("计量单位",),
}
LABEL_ROLES = ("unit", "period")  # merged label cells are filled down; values never
# columns that carry no values: ours (export) and common bookkeeping ones
IGNORED = (
    "序号",
    "编号",
    "来源",
    "更新时间",
    "填报人",
    "联系人",
    "联系电话",
    "填报日期",
    "上级单位",
)
_ROLE_OF = {squash(alias): role for role, aliases in ROLES.items() for alias in aliases}
_IGNORED = {squash(h) for h in IGNORED}
_BRACKETED = re.compile(r"[（(][^）)]*[）)]\s*$")


@cache
def _t2s():
    import opencc  # only when a header is not matched as typed

    return opencc.OpenCC("t2s.json")


def simplified(text: str) -> str:
    """Traditional characters read as simplified (單位 -> 单位); ASCII stays as it is."""
    return text if text.isascii() else _t2s().convert(text)


def role_of(header: object) -> str | None:
    key = squash(header)
    return _ROLE_OF.get(key) or _ROLE_OF.get(simplified(key))


def is_ignored(header: object) -> bool:
    key = squash(header)
    return key in _IGNORED or simplified(key) in _IGNORED


def match(catalog: Catalog, text: object) -> Indicator | None:
    """The indicator a header or 指标 cell names, or None."""
    if not has_text(text):
        return None
    typed = str(text).strip()
    folded = squash(text)
    return (
        catalog.match(typed)
        or catalog.match(folded)
        or catalog.get(folded.lower())
        or catalog.match(simplified(folded))
    )


def match_code(catalog: Catalog, text: object) -> Indicator | None:
    """An indicator code as typed in a 指标代码 cell, in any case."""
    if not has_text(text):
        return None
    return catalog.get(squash(text)) or catalog.get(squash(text).lower())


def header_scorer(catalog: Catalog):
    """How header-like a row is: cells naming a column role or an indicator."""

    def score(values: list) -> int:
        return sum(
            1 for v in values if has_text(v) and (role_of(v) or is_ignored(v) or match(catalog, v))
        )

    return score


def roles(headers) -> dict[str, int]:
    """Role -> position of the first column playing it."""
    found: dict[str, int] = {}
    for i, header in enumerate(headers):
        role = role_of(header)
        if role:
            found.setdefault(role, i)
    return found


def layout(headers, found: dict[str, int], catalog: Catalog) -> str:
    """ "long" (单位, 时期, 指标, 数值 per row) or "wide" (one column per indicator)."""
    if "value" in found and ("indicator" in found or "code" in found):
        return "long"
    positions = set(found.values())
    has_indicator_column = any(
        match(catalog, h) for i, h in enumerate(headers) if i not in positions
    )
    if not has_indicator_column and found.keys() & {"indicator", "code", "value"}:
        return "long"  # a long table missing a column: say which
    return "wide"


def check_required(found: dict[str, int], kind: str, check, header_row: int) -> None:
    needed = [("unit", "单位"), ("period", "时期")]
    if kind == "long":
        needed += [("indicator", "指标"), ("value", "数值")]
    missing = [
        label
        for role, label in needed
        if role not in found and not (role == "indicator" and "code" in found)
    ]
    if missing:
        shape = (
            "长表应有“单位、时期、指标、数值”四列"
            if kind == "long"
            else "宽表应有“单位”“时期”两列，其后每个指标一列"
        )
        names = "、".join(f"“{m}”" for m in missing)
        check.add(say("missing_columns", names=names, shape=shape), row=header_row)


def check_repeated_roles(headers, found: dict[str, int], check, header_row: int) -> None:
    for i, header in enumerate(headers):
        role = role_of(header)
        if role and found[role] != i:
            first = found[role]
            check.add(say("repeated_role", n=first + 1, other=headers[first]), header_row, header)


def suggest(catalog: Catalog, text: str) -> str:
    """“，您是不是要找：“发文数量”？” for a near miss, else a pointer to the catalog.

    Near means: a name, alias or code (any case) close in spelling, or contained in
    the text (“2024年发文数量合计”).
    """
    bare = simplified(_BRACKETED.sub("", squash(text)))
    names: dict[str, str] = {}
    for ind in catalog:
        for key in (ind.name, *ind.aliases, ind.code.lower()):
            names.setdefault(key, ind.name)
    inside = sorted((k for k in names if len(k) > 1 and k in bare), key=len, reverse=True)
    close = difflib.get_close_matches(bare.lower(), list(names), n=3, cutoff=0.5)
    picks = list(dict.fromkeys(names[k] for k in [*inside, *close]))[:3]
    if picks:
        return "，您是不是要找：" + "或".join(f"“{p}”" for p in picks) + "？"
    return "，请使用指标目录（模板的“指标目录”表）中的名称或代码"


def ratio_message(catalog: Catalog, ind: Indicator) -> str:
    parts = [catalog.get(c) for c in (ind.numerator, ind.denominator)]
    part, whole = (
        p.name if p else c for p, c in zip(parts, (ind.numerator, ind.denominator), strict=True)
    )
    return say("ratio_column", name=ind.name, part=part, whole=whole)
