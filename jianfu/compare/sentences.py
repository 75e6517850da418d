"""Chinese data sentences, built only from compare/trend output rows.

Every figure in a sentence is a formatted engine value, so a draft can never say
something the data does not. Sentences come without the closing 。 so callers can
join them into a paragraph; unit and period names are inserted as given.

Wording follows GB/T 15835 and common usage: 减少到/增加到 name the final value,
减少/增加 the amount; changes of a rate are in 个百分点; a zero or missing base has
no percentage ("由0增加到5项", "新增5项").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..numfmt import fmt_number, fmt_points, fmt_value, is_missing, value_digits

RATE_KINDS = ("ratio", "percent")
LOWER, HIGHER = "越少越好", "越多越好"
# clause order in a grouped sentence, with the verb each class is said with
_CLASSES = (
    ("down", "减少"),
    ("rate_down", "下降"),
    ("up", "增加"),
    ("rate_up", "提高"),
    ("new", ""),
    ("flat", "持平"),
)
MAX_ITEMS = 6  # figures in one summary sentence before it is split
_YEAR = re.compile(r"^(\d{4})年$")

Row = Mapping[str, object]


def group_sentence(rows: object, subject: str = "全县", period_word: str = "同比") -> str:
    """Items moving the same way said together, e.g. “全县文件、会议同比分别减少51%、56.6%”.

    ``rows`` are compare rows (DataFrame, records or mappings); items are named by
    their ``short`` name. Falls, rises, new items and flat items go in separate
    clauses; rows without data are left out. Returns "" when nothing is left.
    """
    buckets: dict[str, list[Row]] = {key: [] for key, _ in _CLASSES}
    for row in as_rows(rows):
        key = _class(row)
        if key:
            buckets[key].append(row)
    clauses = []
    for key, verb in _CLASSES:
        items = buckets[key]
        if not items:
            continue
        if key == "new":
            clauses += [_new_clause(r, _short(r)) for r in items]
        elif key == "flat":
            both = "均" if len(items) > 1 else ""
            clauses.append(f"{_names(items)}{period_word}{both}持平")
        else:
            amounts = "、".join(_amount(r) for r in items)
            each = "分别" if len(items) > 1 else ""
            clauses.append(f"{_names(items)}{period_word}{each}{verb}{amounts}")
    return f"{subject}{'，'.join(clauses)}" if clauses else ""


def change_sentence(row: object) -> str:
    """Before -> after: “社区民警工作台账种类由16种减少到10种，减少37.5%”."""
    row = as_row(row)
    name, key = str(row["name"]), _class(row)
    if key is None:
        return f"{name}暂无可对比的数据"
    if key == "new":
        return _new_clause(row, name)
    if key == "flat":
        return f"{name}保持{_value(row, 'after')}不变"
    verb = dict(_CLASSES)[key]
    return f"{name}由{_value(row, 'before')}{verb}到{_value(row, 'after')}，{verb}{_amount(row)}"


def level_sentence(row: object, verb: str = "达到") -> str:
    """The value reached: “一线警力占比达到92.6%”."""
    row = as_row(row)
    if is_missing(row.get("after")):
        return f"{row['name']}暂无数据"
    return f"{row['name']}{verb}{_value(row, 'after')}"


def points_sentence(row: object) -> str:
    """A rate's change in points: “视频会议占比提高15个百分点”."""
    row = as_row(row)
    if row.get("kind") not in RATE_KINDS:
        raise ValueError("points_sentence is for ratio/percent indicators")
    pp = row.get("pp_change")
    if is_missing(pp):
        return f"{row['name']}暂无可对比的数据"
    if row.get("verdict") == "持平" or float(pp) == 0:
        return f"{row['name']}持平"
    verb = "提高" if float(pp) > 0 else "下降"
    return f"{row['name']}{verb}{_points(row)}"


def trend_sentence(row: object, periods: Sequence[str]) -> str:
    """Values over periods and the verdict on the decline.

    “发文数量2019年至2021年分别为82件、81件、85件，未实现逐年递减”. For 越多越好
    indicators the check is 逐年递增; 中性 ones get the values only. Periods without
    a value are left out of the list.
    """
    row = as_row(row)
    values = list(row["values"])
    digits = value_digits(row.get("kind"))  # type: ignore[arg-type]
    seen = [(p, v) for p, v in zip(periods, values, strict=True) if not is_missing(v)]
    if not seen:
        return f"{row['name']}暂无数据"
    shown = [fmt_value(v, str(row["measure"]), digits) for _, v in seen]
    if len(seen) == 1:
        return f"{row['name']}{seen[0][0]}为{shown[0]}"
    labels = [p for p, _ in seen]
    if len(seen) == len(periods):
        span = f"{labels[0]}至{labels[-1]}"
    else:
        span = "、".join(labels)
    text = f"{row['name']}{span}分别为{'、'.join(shown)}"
    direction = row.get("direction")
    if direction == HIGHER:
        numbers = [float(v) for _, v in seen]
        rising = all(b > a for a, b in zip(numbers, numbers[1:], strict=False))
        return f"{text}，{'实现' if rising else '未实现'}逐年递增"
    if direction == LOWER:
        return f"{text}，{'实现' if row.get('monotone_decrease') else '未实现'}逐年递减"
    return text


def summary_sentences(
    table: pd.DataFrame,
    subject: str,
    *,
    unit: str | None = None,
    period_word: str | None = None,
    max_items: int = MAX_ITEMS,
) -> list[str]:
    """A few sentences on one unit's comparison: gains, then setbacks, then flat items.

    Gains are 改善 plus 新增 of 越多越好 indicators; setbacks are 恶化 plus 新增 of
    越少越好 ones (e.g. a new app); 中性 indicators are not summarised. A part with
    more than ``max_items`` items is split, whole categories kept together where
    they fit, so no sentence lists twenty figures. Each sentence names the subject.
    ``period_word`` defaults to 同比 for consecutive years and 较<before> otherwise.
    """
    if unit is not None:
        table = table[table["unit"] == unit]
    elif table["unit"].nunique() > 1:
        raise ValueError("table holds several units: pass unit=")
    if period_word is None:
        period_word = period_phrase(table.attrs.get("before"), table.attrs.get("after"))
    judged = table[table["direction"] != "中性"]
    verdict, higher = judged["verdict"], judged["direction"] == HIGHER
    parts = [
        judged[(verdict == "改善") | ((verdict == "新增") & higher)],
        judged[(verdict == "恶化") | ((verdict == "新增") & ~higher)],
        judged[verdict == "持平"],
    ]
    sentences = [
        group_sentence(chunk, subject, period_word)
        for part in parts
        for chunk in _chunks(as_rows(part), max_items)
    ]
    return [s for s in sentences if s]


def _chunks(rows: list[Row], max_items: int) -> list[list[Row]]:
    """Rows in pieces of at most ``max_items``, filling each with whole categories."""
    if len(rows) <= max_items:
        return [rows]
    categories: dict[object, list[Row]] = {}
    for row in rows:
        categories.setdefault(row.get("category"), []).append(row)
    chunks: list[list[Row]] = [[]]
    for items in categories.values():
        for start in range(0, len(items), max_items):
            piece = items[start : start + max_items]
            if len(chunks[-1]) + len(piece) > max_items:
                chunks.append([])
            chunks[-1].extend(piece)
    return [c for c in chunks if c]


def period_phrase(before: str | None, after: str | None) -> str:
    """“同比” for consecutive years (2023年 -> 2024年), else “较<before>”."""
    if before and after:
        b, a = _YEAR.match(before), _YEAR.match(after)
        if b and a and int(a.group(1)) == int(b.group(1)) + 1:
            return "同比"
        return f"较{before}"
    return "同比"


def as_rows(rows: object) -> list[Row]:
    """Engine output as a list of mappings (DataFrame, records, named tuples, one row)."""
    if isinstance(rows, pd.DataFrame):
        return rows.to_dict("records")
    if isinstance(rows, pd.Series | Mapping) or hasattr(rows, "_asdict"):
        return [as_row(rows)]
    return [as_row(r) for r in rows]  # type: ignore[union-attr]


def as_row(row: object) -> Row:
    """One engine row as a mapping: a dict, a Series or an ``itertuples`` named tuple."""
    if hasattr(row, "_asdict"):
        return row._asdict()  # type: ignore[union-attr]
    if isinstance(row, pd.Series):
        return row.to_dict()
    if isinstance(row, Mapping):
        return row
    raise TypeError(f"expected an engine row, got {type(row).__name__}")


def _class(row: Row) -> str | None:
    verdict = row.get("verdict")
    if verdict == "无数据" or is_missing(row.get("after")):
        return None
    if verdict == "新增":
        return "new"
    if verdict == "持平":
        return "flat"
    change = row.get("change")
    if is_missing(change) or float(change) == 0:  # type: ignore[arg-type]
        return "flat"
    rate = "rate_" if row.get("kind") in RATE_KINDS else ""
    return f"{rate}{'down' if float(change) < 0 else 'up'}"  # type: ignore[arg-type]


def _new_clause(row: Row, name: str) -> str:
    after = _value(row, "after")
    if row.get("kind") in RATE_KINDS:
        return f"{name}为{after}"
    if is_missing(row.get("before")):
        return f"{name}新增{after}"
    return f"{name}由0增加到{after}"


def _amount(row: Row) -> str:
    """How much an item moved: points for rates, percent for counts (absolute if no base)."""
    if row.get("kind") in RATE_KINDS:
        return _points(row)
    pct = row.get("pct_change")
    if is_missing(pct):
        return fmt_value(abs(float(row["change"])), str(row["measure"]), _digits(row))  # type: ignore[arg-type]
    return f"{fmt_number(abs(float(pct)))}%"  # type: ignore[arg-type]


def _points(row: Row) -> str:
    pp = row.get("pp_change")
    if is_missing(pp):
        pp = row.get("change")
    return fmt_points(abs(float(pp)), _digits(row))  # type: ignore[arg-type]


def _value(row: Row, key: str) -> str:
    return fmt_value(row.get(key), str(row["measure"]), _digits(row))


def _digits(row: Row) -> int:
    return value_digits(row.get("kind"))  # type: ignore[arg-type]


def _short(row: Row) -> str:
    return str(row.get("short") or row["name"])


def _names(items: Iterable[Row]) -> str:
    return "、".join(_short(r) for r in items)
