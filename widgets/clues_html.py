"""HTML pieces of the 问题线索 board: the list, one clue with its history, the counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from jianfu.clues.counts import Tally
from jianfu.clues.model import Clue, Event

LIST_COLUMNS = ("编号", "受理日期", "类别", "涉及单位", "内容摘要", "监督员", "状态")
SUMMARY = 40  # characters of the account shown in the list


def clue_list(clues: Sequence[Clue]) -> str:
    if not clues:
        return '<p class="jianfu-hint">没有符合条件的线索。</p>'
    head = "".join(f"<th>{c}</th>" for c in LIST_COLUMNS)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{escape(str(v))}</td>"
            for v in (
                c.id,
                c.received_on.isoformat(),
                c.category,
                c.imposed_by or "—",
                _summary(c.what),
                f"监督员{c.supervisor}" if c.supervisor else "",
                c.status + (f"（并入{c.merged_into}）" if c.merged_into else ""),
            )
        )
        + "</tr>"
        for c in clues
    )
    return f'<table class="jianfu-table jianfu-clue-list"><tr>{head}</tr>{rows}</table>'


def clue_detail(clue: Clue, events: Sequence[Event]) -> str:
    fields = [
        ("类别", clue.category),
        ("涉及单位", clue.imposed_by or "（未写明）"),
        ("发生时间", clue.when),
        ("频次", clue.how_often),
        ("耗时", f"{clue.hours:g}小时" if clue.hours is not None else ""),
        ("可联系", clue.contact),
        ("监督员", f"监督员{clue.supervisor}" if clue.supervisor else ""),
        ("状态", clue.status),
        ("核实结论", clue.finding),
        ("转办单位", clue.referred_to),
        ("整改措施", clue.measures),
        ("答复", clue.reply),
    ]
    items = "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in fields if v)
    what = escape(clue.what).replace("\n", "<br>")
    history = "".join(
        f"<li>{e.day.isoformat()} {escape(_step(e))}：{escape(e.note)}</li>" for e in events
    )
    return (
        f'<div class="jianfu-clue"><h3>线索{clue.id}（{clue.received_on.isoformat()}受理）</h3>'
        f"<p>{what}</p><dl>{items}</dl>"
        + (f"<h4>处理记录</h4><ol>{history}</ol>" if history else "")
        + "</div>"
    )


def tally_table(title: str, tallies: Mapping[str, Tally]) -> str:
    if not tallies:
        return ""
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{t.received}</td><td>{t.verified}</td></tr>"
        for name, t in tallies.items()
    )
    return (
        f'<table class="jianfu-table"><caption>{escape(title)}</caption>'
        f"<tr><th></th><th>收到</th><th>核实属实</th></tr>{rows}</table>"
    )


def _step(event: Event) -> str:
    return f"{event.before} → {event.after}" if event.after else "合并"


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY else flat[:SUMMARY] + "…"
