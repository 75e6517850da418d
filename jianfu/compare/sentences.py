"""Chinese data sentences, built only from compare/trend output rows.

Every figure in a sentence is an engine value formatted at its row's precision,
so a draft can never say something the table does not. Sentences come without
the closing 。 so callers can join them into a paragraph; unit and period names
are inserted as given.

How things are said (GB/T 15835 and common usage):
- 减少到/增加到 name the final value, 减少/增加 the amount; a rate moves in 个百分点.
- Counts of at least :data:`SMALL_BASE` in the base period that moved are grouped
  with their percentages (“发文数量、会议数量同比分别减少51%、56.6%”), at most
  :data:`MAX_FIGURES` figures to a 分别 sentence.
- Small counts, counts cut to 0, durations, amounts and rates lead with before -> after, with a verb
  that fits the area (“报表台账种类由52种精简到28种”, “主讲话时长由65分钟缩短到45分钟”,
  “借调基层干部人数由4人减少到1人”), and a rise from zero reads “由0增加到2个”.
- A row without a value in the base period (基期无数据) is never said as a rise:
  it is left out of the sentences (the tables list it apart).
- The subject (unit) is named once, in the first sentence of its paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from ..catalog.directions import (
    COMPARED,
    FLAT,
    GAPPED,
    NEUTRAL,
    STEADY,
    favourable_mask,
    unfavourable_mask,
)
from ..numbers.format import POINTS, fmt_number, fmt_value, is_missing
from ..text.periods import period_span
from .rollups import is_total, not_rolled_sentence, owns_subject
from .rollups import subject as subject_of_row
from .smallbase import SMALL_BASE, small_base  # noqa: F401  (SMALL_BASE: re-exported)

RATE_KINDS = ("ratio", "percent")
MAX_FIGURES = 4  # figures in one 分别 sentence
# a fall said with the area's own verb (“报表台账种类由52种精简为28种”)
FALL_VERBS = {
    "文件": "精简",
    "报表台账": "精简",
    "会议": "压减",
    "督检考": "压减",
    "指尖负担": "清理",
}
_YEAR = re.compile(r"^(\d{4})年$")

Row = Mapping[str, object]


# ---------------------------------------------------------------- one row


def change_sentence(row: object) -> str:
    """Before -> after: “社区民警工作台账种类由16种减少到10种，减少37.5%”."""
    row = as_row(row)
    name = _name(row)
    if row.get("verdict") not in COMPARED:
        return f"{name}暂无可对比的数据"
    if _moved(row) == 0:
        return f"{name}保持{_value(row, 'after')}不变"
    clause = _before_after(row)
    if _is_rate(row):
        return f"{clause}，{_verb(row, plain=True)}{_points(row)}"
    if _has_pct(row) and not _small(row) and not _to_zero(row):
        return f"{clause}，{_verb(row, plain=True)}{_pct(row)}"
    return clause


def level_sentence(row: object, verb: str = "达到") -> str:
    """The value reached: “一线实战部门警力占比达到92.6%”."""
    row = as_row(row)
    if is_missing(row.get("after")):
        return f"{_name(row)}暂无数据"
    return f"{_name(row)}{verb}{_value(row, 'after')}"


def points_sentence(row: object) -> str:
    """A rate's change in points: “视频会议占比提高15个百分点”."""
    row = as_row(row)
    if not _is_rate(row):
        raise ValueError("points_sentence is for ratio/percent indicators")
    if row.get("verdict") not in COMPARED:
        return f"{_name(row)}暂无可对比的数据"
    if _moved(row) == 0:
        return f"{_name(row)}持平"
    return f"{_name(row)}{_verb(row, plain=True)}{_points(row)}"


def trend_sentence(row: object, periods: Sequence[str]) -> str:
    """Values over periods and the trend module's verdict on them.

    “发文数量2019年至2021年分别为82件、81件、85件，未实现逐年递减”. Periods without a
    value are left out of the list; 中性 indicators get the values only.
    """
    row = as_row(row)
    decimals = int(row.get("decimals") or 0)
    seen = [(p, v) for p, v in zip(periods, row["values"], strict=True) if not is_missing(v)]
    if not seen:
        return f"{_name(row)}暂无数据"
    shown = [fmt_value(v, str(row["measure"]), decimals, fixed=True) for _, v in seen]
    if len(seen) == 1:
        return f"{_name(row)}{seen[0][0]}为{shown[0]}"
    labels = [p for p, _ in seen]
    span = f"{labels[0]}至{labels[-1]}" if len(seen) == len(periods) else "、".join(labels)
    text = f"{_name(row)}{span}分别为{'、'.join(shown)}"
    verdict = row.get("verdict")
    if verdict == GAPPED:  # “2020年无数据，不能说逐年递减”
        inside = list(periods)[periods.index(labels[0]) : periods.index(labels[-1]) + 1]
        missing = [p for p in inside if p not in labels]
        return f"{text}，{'、'.join(missing)}无数据，不能说{STEADY[str(row['direction'])]}"
    if row.get("direction") not in (None, NEUTRAL) and verdict:
        return f"{text}，{'实现' if not str(verdict).startswith('未') else ''}{verdict}"
    return text


# ---------------------------------------------------------------- several rows


def group_sentence(rows: object, subject: str = "", period_word: str = "同比") -> str:
    """Counts moving the same way said together with their percentages.

    “全县发文数量、会议数量同比分别减少51%、56.6%”. Rows that need before -> after
    (rates, small bases, durations; see the module docstring) are said as such,
    each in its own clause; flat rows as 持平; rows not compared are left out.
    Returns "" when nothing is left.
    """
    rows = [r for r in as_rows(rows) if r.get("verdict") in COMPARED]
    grouped = [r for r in rows if _grouped(r) and _moved(r) != 0]
    clauses = []
    for up in (False, True):
        items = [r for r in grouped if (_moved(r) > 0) == up]
        if items:
            each = "分别" if len(items) > 1 else ""
            amounts = "、".join(_pct(r) for r in items)
            verb = "增加" if up else "减少"
            clauses.append(f"{_names(items)}{period_word}{each}{verb}{amounts}")
    clauses += [change_sentence(r) for r in rows if r not in grouped and _moved(r) != 0]
    flat = [r for r in rows if _moved(r) == 0]
    if flat:
        clauses.append(f"{_names(flat)}{period_word}{'均' if len(flat) > 1 else ''}持平")
    return f"{subject}{'，'.join(clauses)}" if clauses else ""


def summary_sentences(
    table: pd.DataFrame,
    subject: str,
    *,
    unit: str | None = None,
    period_word: str | None = None,
    max_figures: int = MAX_FIGURES,
) -> list[str]:
    """A paragraph on one unit's comparison: gains, then setbacks, then flat items.

    Gains are 改善 plus 新增 of 越多越好 indicators; setbacks are 恶化 plus 新增 of
    越少越好 ones (e.g. a new app); 中性 indicators and rows not compared are left
    out. Grouped percentages go at most ``max_figures`` to a sentence, whole
    categories kept together where they fit. Only the first sentence names the
    subject. ``period_word`` defaults to 同比 for consecutive years and 较<before>
    otherwise. For a combined unit a last sentence says which units were left out.
    """
    if unit is not None:
        table = table[table["unit"] == unit]
    elif table["unit"].nunique() > 1:
        raise ValueError("table holds several units: pass unit=")
    if period_word is None:
        period_word = period_phrase(table.attrs.get("before"), table.attrs.get("after"))
    judged = table[(table["direction"] != NEUTRAL) & table["verdict"].isin(COMPARED)]
    parts = [
        judged[favourable_mask(judged)],
        judged[unfavourable_mask(judged)],
        judged[judged["verdict"] == FLAT],
    ]
    said: list[tuple[str, bool]] = []  # (sentence, names its own subject)
    for part in parts:
        rows = as_rows(part)
        grouped = [r for r in rows if _grouped(r) and _moved(r) != 0]
        for chunk in _chunks(grouped, max_figures):
            said.append((group_sentence(chunk, "", period_word), False))
        said += [
            (change_sentence(r), owns_subject(r))
            for r in rows
            if not _grouped(r) and (_moved(r) != 0 or owns_subject(r))
        ]
        flat = [r for r in rows if _moved(r) == 0 and not owns_subject(r)]
        for chunk in _chunks(flat, max_figures * 2):
            said.append((group_sentence(chunk, "", period_word), False))
    said = [(text, owns) for text, owns in said if text]
    first = next((n for n, (_, owns) in enumerate(said) if not owns), None)
    sentences = [f"{subject}{text}" if n == first else text for n, (text, _) in enumerate(said)]
    return sentences + (group_notes(table.attrs) if table.attrs.get("group") else [])


def group_notes(attrs: Mapping[str, object]) -> list[str]:
    """What a reader of a combined unit's figures must know, as sentences.

    A parent summed with its own subordinates (``overlap``), indicators the catalog
    does not roll up (``not_rolled_up``) and units left out for missing data.
    """
    notes = [
        str(attrs.get("overlap") or ""),
        not_rolled_sentence(attrs.get("not_rolled_up") or []),  # type: ignore[arg-type]
        left_out_sentence(attrs.get("left_out") or []),  # type: ignore[arg-type]
    ]
    return [n for n in notes if n]


def left_out_sentence(left_out: Iterable[Mapping[str, object]]) -> str:
    """Which units a combined figure leaves out, and why.

    “以上汇总只计各时期都有数据的单位，未计入：示例县新镇的发文数量等27项（2023年无数据）”.
    """
    by_gap: dict[tuple[str, str], list[str]] = {}
    for item in left_out:
        by_gap.setdefault((str(item["unit"]), str(item["missing"])), []).append(str(item["name"]))
    if not by_gap:
        return ""
    parts = [
        f"{unit}的{_list(names, 3)}{'等' + str(len(names)) + '项' if len(names) > 3 else ''}"
        f"（{missing}无数据）"
        for (unit, missing), names in by_gap.items()
    ]
    return f"以上汇总只计各时期都有数据的单位，未计入：{'；'.join(parts)}"


def period_phrase(before: str | None, after: str | None) -> str:
    """“同比” for consecutive years (2023年 -> 2024年), else “较<before>”."""
    if before and after:
        b, a = _YEAR.match(before), _YEAR.match(after)
        if b and a and int(a.group(1)) == int(b.group(1)) + 1:
            return "同比"
        return f"较{before}"
    return "同比"


def span_note(periods: Sequence[str], short: bool = False) -> str:
    """Periods of different lengths side by side: the counts cannot be compared.

    A full year's 200 documents against half a year's 98 reads as a 51% cut that never
    happened. “” when the labels say one length, or do not say theirs (2024年1-6月).
    ``short``: the line a chart carries under its title (a slide travels alone).
    """
    by_span: dict[str, list[str]] = {}
    for period in periods:
        span = period_span(period)
        if span:
            by_span.setdefault(span, []).append(f"“{period}”")
    if len(by_span) < 2:
        return ""
    said = "，".join(f"{'、'.join(names)}是{span}" for span, names in by_span.items())
    if short:
        return f"注意：{said}，长短不同，件数、次数等不能直接相比"
    return (
        f"所选时期长短不同（{said}）：件数、次数等前后不能直接相比，"
        "增减和百分比会误导；请改选长短相同的时期（如两个全年或两个上半年）"
    )


# ---------------------------------------------------------------- rows in


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


# ---------------------------------------------------------------- wording


def _grouped(row: Row) -> bool:
    """Said as a percentage among others: a count or total with a base of SMALL_BASE or more.

    A combined figure that is not a total (the longest, a mean) is said on its own.
    """
    return (
        row.get("kind") == "count"
        and _has_pct(row)
        and not _small(row)
        and not _to_zero(row)
        and is_total(row)
    )


def _to_zero(row: Row) -> bool:
    """Cut to nothing: “由30件精简为0件” says it all; “分别减少100%、100%” reads as a slip."""
    after = row.get("after")
    return not is_missing(after) and float(after) == 0 and _moved(row) != 0  # type: ignore[arg-type]


def _small(row: Row) -> bool:
    return small_base(row.get("kind"), row.get("before"))


def _has_pct(row: Row) -> bool:
    return not is_missing(row.get("pct_change"))


def _is_rate(row: Row) -> bool:
    return row.get("kind") in RATE_KINDS


def _moved(row: Row) -> float:
    change = row.get("change")
    return 0.0 if is_missing(change) else float(change)  # type: ignore[arg-type]


def _verb(row: Row, plain: bool = False) -> str:
    """The verb for this row's move: by kind and area, or plain 减少/增加 for amounts."""
    up = _moved(row) > 0
    if _is_rate(row):
        return "提高" if up else "下降"
    if plain:
        return "增加" if up else "减少"
    if row.get("kind") == "duration":
        return "延长" if up else "缩短"
    if up:
        return "增加"
    return FALL_VERBS.get(str(row.get("category")), "减少")


def _before_after(row: Row) -> str:
    was = "0" if float(row["before"]) == 0 else _value(row, "before")  # type: ignore[arg-type]
    verb = _verb(row)
    to = "为" if verb in FALL_VERBS.values() else "到"
    return f"{_name(row)}由{was}{verb}{to}{_value(row, 'after')}"


def _pct(row: Row) -> str:
    return f"{fmt_number(abs(float(row['pct_change'])))}%"  # type: ignore[arg-type]


def _points(row: Row) -> str:
    decimals = int(row.get("decimals") or 0)  # type: ignore[arg-type]
    return f"{fmt_number(abs(_moved(row)), decimals, fixed=True)}{POINTS}"


def _value(row: Row, key: str) -> str:
    decimals = int(row.get("decimals") or 0)  # type: ignore[arg-type]
    return fmt_value(row.get(key), str(row["measure"]), decimals, fixed=True)


def _name(row: Row) -> str:
    """An indicator's one name in running text: its short name, else its name; for a
    combined figure that is not a total, with what it is (两镇中最长的主讲话时长)."""
    return subject_of_row(str(row.get("short") or row["name"]), row)


def _names(items: Iterable[Row]) -> str:
    return "、".join(_name(r) for r in items)


def _list(items: list[str], limit: int) -> str:
    return "、".join(items[:limit])


def _chunks(rows: list[Row], size: int) -> list[list[Row]]:
    """Rows in pieces of at most ``size``, filling each with whole categories."""
    if len(rows) <= size:
        return [rows] if rows else []
    categories: dict[object, list[Row]] = {}
    for row in rows:
        categories.setdefault(row.get("category"), []).append(row)
    chunks: list[list[Row]] = [[]]
    for items in categories.values():
        for start in range(0, len(items), size):
            piece = items[start : start + size]
            if len(chunks[-1]) + len(piece) > size:
                chunks.append([])
            chunks[-1].extend(piece)
    return [c for c in chunks if c]
