"""What a valid answer is, and how answers are written to and read from their table.

One answer row holds a number (scale 0–5, 0 meaning 不清楚; overall 0–10) or a
text (the comment; the ids of the chosen problems, one per line). Checked
against the session's form before anything is written; the message is for the
participant, who can only reload.

Only the questionnaire module is imported: the participant page uses this.
"""

from __future__ import annotations

from ..errors import JianfuError
from ..text.characters import clean_name, clean_text
from .questionnaire import SCALE_POINTS, UNKNOWN, Questionnaire

MAX_UNIT = 60
MAX_UNITS = 200


class SessionError(JianfuError):
    """Unknown, closed or finished session; the message is for the participant."""


def checked(form: Questionnaire, item: str, value: object) -> tuple[int | None, str | None]:
    """(number, text) to store for one answer, or SessionError if it cannot be valid."""
    if value is None:
        return None, None
    if item in {i.id for i in form.items}:
        if _whole(value) and UNKNOWN <= value <= SCALE_POINTS:
            return value, None
    elif item == form.overall.id:
        if _whole(value) and 0 <= value <= 10:
            return value, None
    elif form.problems and item == form.problems.id:
        chosen = [value] if isinstance(value, str) else list(value or ())
        ids = form.problems.option_ids
        if all(c in ids for c in chosen) and len(chosen) <= form.problems.max_choices:
            return (None, "\n".join(chosen)) if chosen else (None, None)
    elif form.comment and item == form.comment.id:
        if isinstance(value, str):
            text = clean_text(value).strip()[: form.comment.max_length]
            return (None, text) if text else (None, None)
    raise SessionError("答案无效，请刷新页面后重试")


def checked_fields(units: tuple[str, ...], form: Questionnaire, fields) -> dict[str, str | None]:
    """单位 and 岗位类别 as the session and the form allow them."""
    values = {}
    if "role" in fields:
        role = fields["role"] or None
        if role is not None and role not in form.role.options:
            raise SessionError("岗位类别无效，请刷新页面后重试")
        values["role"] = role
    if "unit" in fields:
        unit = fields["unit"] or None
        if unit is not None and unit not in units:
            raise SessionError("单位无效，请刷新页面后重试")
        values["unit"] = unit
    return values


def decoded(number: int | None, text: str | None, multi: bool) -> object:
    """A stored answer as the pages use it (chosen problems: a list of ids)."""
    if number is not None:
        return number
    if multi:
        return [t for t in (text or "").split("\n") if t]
    return text


def clean_units(units) -> list[str]:
    """The session's unit list: cleaned like any name, without repeats, each and all of bounded size."""
    cleaned = []
    for unit in units or ():
        unit = clean_name(unit)
        if unit and unit not in cleaned:
            if len(unit) > MAX_UNIT:
                raise JianfuError(f"单位名称“{unit[:20]}…”太长（不超过{MAX_UNIT}字）")
            cleaned.append(unit)
    if len(cleaned) > MAX_UNITS:
        raise JianfuError(f"单位最多列{MAX_UNITS}个")
    return cleaned


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
