"""HTML pieces of the 问题线索 board: the list, one clue with its history, the counts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from jianfu.clues.counts import Tally
from jianfu.clues.model import Clue, Event

from .templating import render

LIST_COLUMNS = ("编号", "受理日期", "类别", "涉及单位", "内容摘要", "监督员", "状态")
SUMMARY = 40  # characters of the account shown in the list


def clue_list(clues: Sequence[Clue]) -> str:
    rows = [
        [
            str(c.id),
            c.received_on.isoformat(),
            c.category,
            c.imposed_by or "—",
            _summary(c.what),
            f"监督员{c.supervisor}" if c.supervisor else "",
            c.status + (f"（并入{c.merged_into}）" if c.merged_into else ""),
        ]
        for c in clues
    ]
    return render("clues_list.html", head=LIST_COLUMNS, rows=rows)


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
    return render(
        "clues_detail.html",
        id=clue.id,
        received=clue.received_on.isoformat(),
        lines=clue.what.split("\n"),
        fields=[(k, v) for k, v in fields if v],
        history=[(e.day.isoformat(), _step(e), e.note) for e in events],
    )


def tally_table(title: str, tallies: Mapping[str, Tally]) -> str:
    rows = [(name, t.received, t.verified) for name, t in tallies.items()]
    return render("clues_tally.html", title=title, rows=rows)


def _step(event: Event) -> str:
    return f"{event.before} → {event.after}" if event.after else "合并"


def _summary(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY else flat[:SUMMARY] + "…"
