"""催报: a ready-to-send reminder listing who has not reported, as text and as .docx.

No sending: intranets differ, so the text is the product. The .docx uses the
drafts' 公文 layout (:func:`jianfu.speech.word.draft_docx`).
"""

from __future__ import annotations

from datetime import date

from ..speech.model import Draft, Paragraph, Section
from .board import DONE, UnitStatus
from .model import Round

SALUTATION = "各有关单位："  # 主送机关: flush left in the .docx


def reminder_lines(rnd: Round, statuses: list[UnitStatus], today: date | None = None) -> list[str]:
    """Title, salutation, body and one line per unit not yet complete."""
    today = today or date.today()
    behind = [s for s in statuses if s.status != DONE]
    title = f"关于催报“{rnd.name}”数据的通知"
    if not behind:
        return [title, f"截至{_day(today)}，“{rnd.name}”各填报单位均已报齐，无需催报。"]
    names = "、".join(s.unit for s in behind)
    if rnd.due is None:
        deadline = "请尽快报送"
    elif today > rnd.due:
        deadline = f"填报截止日期（{_day(rnd.due)}）已过，请尽快补报"
    else:
        deadline = f"请于{_day(rnd.due)}前报送"
    body = (
        f"“{rnd.name}”（{rnd.period}）数据填报已开始。截至{_day(today)}，"
        f"共{len(statuses)}个填报单位，已报齐{len(statuses) - len(behind)}个，"
        f"尚有{len(behind)}个单位未报齐：{names}。{deadline}。"
    )
    lines = [title, SALUTATION, body, "具体情况如下："]
    for n, s in enumerate(behind, start=1):
        lines.append(f"{n}. {s.unit}：{_what(s, len(rnd.indicators))}。")
    return lines


def reminder_text(rnd: Round, statuses: list[UnitStatus], today: date | None = None) -> str:
    return "\n".join(reminder_lines(rnd, statuses, today))


def reminder_docx(rnd: Round, statuses: list[UnitStatus], today: date | None = None) -> bytes:
    title, *rest = reminder_lines(rnd, statuses, today)
    paragraphs = [
        Paragraph(text=line, kind="addressee" if line == SALUTATION else "text", origin="data")
        for line in rest
    ]
    draft = Draft(
        genre="通知",
        title=title,
        unit=rnd.name,
        date=_day(today or date.today()),
        sections=[Section(title="", numbered=False, paragraphs=paragraphs)],
    )
    from ..speech.word import draft_docx  # python-docx and lxml: when a reminder is made

    return draft_docx(draft)


def _what(s: UnitStatus, total: int) -> str:
    if len(s.missing) == total:
        return "尚未报送"
    return "缺报" + "、".join(f"“{m}”" for m in s.missing)


def _day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
