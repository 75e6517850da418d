"""A draft as the reader sees it: numbered blocks, plain text, Markdown, length and time.

Every output (preview, Word, Markdown, text, the checks, the character count)
starts from :func:`blocks`, so the numbering is worked out in one place.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .model import HEADING_LEVELS, Draft
from .numbering import heading_marker, point_marker, section_marker
from .sources import PENDING, TO_FILL

_END = "。！？；：…"


@dataclass(frozen=True)
class Block:
    """One printed line or paragraph.

    ``kind``: title, subtitle, byline, heading1..heading4, body, signature, date.
    For a point, ``lead`` is the marker and topic (一是……。) that Word sets in bold.
    """

    kind: str
    text: str
    lead: str = ""
    paragraph_id: str | None = None
    section_id: str | None = None

    @property
    def spoken(self) -> bool:
        """Read out in a speech: everything but the title lines and the signature."""
        return self.kind.startswith("heading") or self.kind in ("body", "addressee")


def markers(draft: Draft) -> dict[str, str]:
    """The number of every numbered section and paragraph, by id: “二、”, “（一）”, “三是”."""
    out: dict[str, str] = {}
    number = 0
    for section in draft.sections:
        if section.numbered and section.title.strip():
            number += 1
            out[section.id] = section_marker(number)
        counters = {2: 0, 3: 0, 4: 0, "point": 0}
        for paragraph in section.paragraphs:
            if paragraph.kind in HEADING_LEVELS:
                level = HEADING_LEVELS[paragraph.kind]
                counters[level] += 1
                for deeper in range(level + 1, 5):
                    counters[deeper] = 0
                counters["point"] = 0
                out[paragraph.id] = heading_marker(level, counters[level])
            elif paragraph.kind == "point":
                counters["point"] += 1
                out[paragraph.id] = point_marker(counters["point"])
    return out


def blocks(draft: Draft) -> list[Block]:
    """The draft in reading order, numbers filled in."""
    out = [Block("title", draft.title.strip())] if draft.title.strip() else []
    if draft.subtitle.strip():
        out.append(Block("subtitle", draft.subtitle.strip()))
    if draft.speaker.strip():
        out.append(Block("byline", draft.speaker.strip()))
    numbers = markers(draft)
    for section in draft.sections:
        if section.id in numbers:
            text = numbers[section.id] + section.title.strip()
            out.append(Block("heading1", text, "", None, section.id))
        for paragraph in section.paragraphs:
            kind, text = paragraph.kind, paragraph.text.strip()
            marker = numbers.get(paragraph.id, "")
            if kind in HEADING_LEVELS:
                level = HEADING_LEVELS[kind]
                out.append(Block(f"heading{level}", marker + text, "", paragraph.id, section.id))
            elif kind == "addressee":  # 主送机关: flush left (GB/T 9704), read out
                out.append(Block("addressee", text, "", paragraph.id, section.id))
            elif kind == "point":
                lead = marker + _sentence(paragraph.topic)
                out.append(Block("body", lead + text, lead, paragraph.id, section.id))
            else:
                out.append(Block("body", text, "", paragraph.id, section.id))
    if draft.signature.strip():
        out.append(Block("signature", draft.signature.strip()))
    if draft.date.strip():
        out.append(Block("date", draft.date.strip()))
    return out


def _sentence(topic: str) -> str:
    """A point's topic closes with 。 unless the user ended it with punctuation."""
    topic = topic.strip()
    if not topic:
        return ""
    return topic if topic[-1] in _END else f"{topic}。"


# ---- length and time -------------------------------------------------------


def spoken_chars(text: str) -> int:
    """Characters a speaker reads: hanzi, letters and digits; no spaces, punctuation or marks."""
    text = text.replace(PENDING, "").replace(TO_FILL, "")
    return sum(1 for ch in text if ch.isalnum())


def char_count(draft: Draft) -> int:
    """字数 of the spoken part (headings and paragraphs; not title, byline, date)."""
    return sum(spoken_chars(b.text) for b in blocks(draft) if b.spoken)


def speaking_minutes(chars: int, rate: float) -> float:
    """Minutes to read ``chars`` at ``rate`` 字/分钟."""
    return chars / rate if rate > 0 else 0.0


def fmt_minutes(minutes: float) -> str:
    """7.6 -> “7分36秒”."""
    seconds = round(minutes * 60)
    m, s = divmod(seconds, 60)
    return f"{m}分{s:02d}秒" if m else f"{s}秒"


@dataclass(frozen=True)
class Length:
    chars: int
    minutes: float
    limit_minutes: float | None
    limit_chars: int | None

    @property
    def share(self) -> float | None:
        """Fraction of the limit used (time if the genre limits time, else length)."""
        if self.limit_minutes:
            return self.minutes / self.limit_minutes
        if self.limit_chars:
            return self.chars / self.limit_chars
        return None

    @property
    def over(self) -> bool:
        return self.share is not None and self.share > 1

    def describe(self) -> str:
        text = f"{self.chars}字，约{fmt_minutes(self.minutes)}"
        if self.limit_minutes:
            text += f"（限时{_plain(self.limit_minutes)}分钟）"
        elif self.limit_chars:
            text += f"（限{self.limit_chars}字）"
        return text


def length(draft: Draft) -> Length:
    chars = char_count(draft)
    return Length(
        chars, speaking_minutes(chars, draft.rate), draft.limit_minutes, draft.limit_chars
    )


def _plain(value: float) -> str:
    return f"{value:g}"


# ---- plain text and Markdown -----------------------------------------------

_MD_PREFIX = {"heading1": "## ", "heading2": "### ", "heading3": "#### ", "heading4": "##### "}


def to_text(draft: Draft) -> str:
    """Plain text for pasting into WPS/Word: paragraphs indented with two full-width spaces."""
    lines = []
    for block in blocks(draft):
        if block.kind in ("title", "subtitle", "byline"):
            lines.append(block.text)
        elif block.kind in ("signature", "date", "addressee"):
            lines.append(block.text)
        else:
            lines.append("\u3000\u3000" + block.text)
    return "\n".join(lines) + "\n"


def to_markdown(draft: Draft) -> str:
    out = []
    for block in blocks(draft):
        text = _md_escape(block.text)
        if block.kind == "title":
            out.append(f"# {text}")
        elif block.kind in ("subtitle", "byline", "signature", "date", "addressee"):
            out.append(text)
        elif block.kind in _MD_PREFIX:
            out.append(_MD_PREFIX[block.kind] + text)
        elif block.lead:
            # closing punctuation outside the bold: CommonMark would not close ** after 。
            core = block.lead.rstrip(_END)
            rest = _md_escape(block.text[len(core) :])
            out.append(f"**{_md_escape(core)}**{rest}")
        else:
            out.append(text)
    return "\n\n".join(out) + "\n"


def _md_escape(text: str) -> str:
    """Keep user text literal in Markdown (a leading # or * would become markup)."""
    return re.sub(r"([\\`*_#\[\]<>|])", r"\\\1", text)


# ---- HTML preview ------------------------------------------------------------


def to_html(draft: Draft, script: str | None = "", flagged: frozenset[str] = frozenset()) -> str:
    """The preview: every piece of text escaped; paragraphs with findings marked.

    Class names (jf-draft-*) are styled in the Voila template's jianfu.css.
    """
    from .script import convert

    parts = ['<div class="jf-draft-page">']
    for block in blocks(draft):
        lead = html.escape(convert(block.lead, script)) if block.lead else ""
        rest = block.text[len(block.lead) :] if block.lead else block.text
        body = html.escape(convert(rest, script))
        classes = f"jf-draft-{block.kind}"
        if block.paragraph_id and block.paragraph_id in flagged:
            classes += " jf-draft-flagged"
        ident = f' data-pid="{html.escape(block.paragraph_id)}"' if block.paragraph_id else ""
        strong = f"<strong>{lead}</strong>" if lead else ""
        parts.append(f'<p class="{classes}"{ident}>{strong}{body}</p>')
    parts.append("</div>")
    return "".join(parts)
