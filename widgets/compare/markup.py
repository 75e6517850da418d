"""The 对比 page's HTML pieces: sentences with a copy button, big numbers, row colours.

User text (unit and indicator names, sentences) is escaped here; the arrow beside a
change follows its sign and the colour its verdict (jianfu.catalog.directions).
"""

from __future__ import annotations

import html

import pandas as pd

from jianfu.catalog.directions import BAD, GOOD, tone

from ..tables import note_html

TONE_CLASSES = {GOOD: "jf-verdict-good", BAD: "jf-verdict-bad"}  # colour follows the verdict


def row_classes(table: pd.DataFrame) -> list[str]:
    """The colour class of each compared row, from its verdict (and direction for 新增)."""
    return [
        TONE_CLASSES.get(tone(v, d), "")
        for v, d in zip(table["verdict"], table["direction"], strict=True)
    ]


def sentences_html(sentences: list[str], note: str = "") -> str:
    """The sentences as a list, and a copy button that copies them one per line.

    Copying is done by static/jianfu.js (jianfuCopy): the Clipboard API where the
    browser allows it (https, localhost), otherwise the selection fallback that
    also works on a plain-HTTP intranet address; “已复制” only when it worked.
    """
    if not sentences:
        return "<p>没有可生成的数据句。</p>"
    text = "\n".join(f"{s}。" for s in sentences)
    items = "".join(f"<li>{html.escape(s)}。</li>" for s in sentences)
    copy = (
        '<button type="button" class="jf-copy" '
        f'data-text="{html.escape(text)}" onclick="jianfuCopy(this)">复制全部数据句</button>'
    )
    extra = note_html(note) if note else ""
    return f'<div class="jf-said"><ol class="jf-sentences">{items}</ol>{extra}{copy}</div>'


def headline_html(units: list[dict]) -> str:
    """Big numbers: before → after and the change, the verdict in words as well as colour."""
    blocks = []
    for unit in units:
        cards = "".join(
            _big_card(
                f"jf-big {TONE_CLASSES.get(item['tone'], '')}",
                item["name"],
                f"{item['before']} → {item['after']}",
                f"{item['change']} {item['mark']}",
            )
            for item in unit["items"]
        )
        counts = "　".join(f"{k}{v}项" for k, v in unit["counts"].items())
        blocks.append(_headline_block(unit["unit"], cards, counts))
    return "".join(blocks)


def trend_headline_html(units: list[dict]) -> str:
    blocks = []
    for unit in units:
        cards = "".join(
            _big_card("jf-big", item["name"], " → ".join(item["values"]), item["verdict"])
            for item in unit["items"]
        )
        blocks.append(_headline_block(unit["unit"], cards))
    return "".join(blocks)


def _big_card(classes: str, name: str, value: str, change: str) -> str:
    return (
        f'<div class="{classes}"><div class="jf-big-name">{html.escape(name)}</div>'
        f'<div class="jf-big-value">{html.escape(value)}</div>'
        f'<div class="jf-big-change">{html.escape(change)}</div></div>'
    )


def _headline_block(unit: str, cards: str, counts: str | None = None) -> str:
    tail = (
        "" if counts is None else f'<span class="jf-headline-counts">{html.escape(counts)}</span>'
    )
    return (
        f'<div class="jf-headline"><div class="jf-headline-unit">{html.escape(unit)}{tail}'
        f'</div><div class="jf-big-row">{cards}</div></div>'
    )
