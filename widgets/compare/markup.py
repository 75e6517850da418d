"""The 对比 page's HTML pieces: sentences with a copy button, big numbers, row colours.

User text (unit and indicator names, sentences) is escaped by the templates; the arrow beside a
change follows its sign and the colour its verdict (jianfu.catalog.directions).
"""

from __future__ import annotations

import pandas as pd

from jianfu.catalog.directions import BAD, GOOD, tone

from ..templating import render

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
    copied = "\n".join(f"{s}。" for s in sentences)
    return render("compare_sentences.html", sentences=sentences, note=note, copied=copied)


def headline_html(units: list[dict]) -> str:
    """Big numbers: before → after and the change, the verdict in words as well as colour."""
    blocks = [
        {
            "unit": unit["unit"],
            "counts": "　".join(f"{k}{v}项" for k, v in unit["counts"].items()),
            "cards": [
                {
                    "classes": f"jf-big {TONE_CLASSES.get(item['tone'], '')}",
                    "name": item["name"],
                    "value": f"{item['before']} → {item['after']}",
                    "change": f"{item['change']} {item['mark']}",
                }
                for item in unit["items"]
            ],
        }
        for unit in units
    ]
    return render("compare_headline.html", blocks=blocks)


def trend_headline_html(units: list[dict]) -> str:
    blocks = [
        {
            "unit": unit["unit"],
            "counts": None,
            "cards": [
                {
                    "classes": "jf-big",
                    "name": item["name"],
                    "value": " → ".join(item["values"]),
                    "change": item["verdict"],
                }
                for item in unit["items"]
            ],
        }
        for unit in units
    ]
    return render("compare_headline.html", blocks=blocks)
