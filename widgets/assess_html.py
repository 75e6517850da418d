"""HTML pieces of the 自评 pages: score bars, the result card, the QR code, item heat map.

Charts are plain HTML/CSS (no altair: the participant kernel must stay small).
Every piece of text is escaped by the templates (widgets/templates/assess_*.html); styles live in static/jianfu.css
(classes prefixed ``jf-assess`` / ``jf-dash``).
"""

from __future__ import annotations

from collections.abc import Sequence

from jianfu.assess.scoring import Result, whole

from .templating import render, trusted

LEVEL_CLASSES = {"负担较轻": "good", "负担一般": "fair", "负担较重": "poor", "负担很重": "bad"}


def level_class(label: str) -> str:
    return LEVEL_CLASSES.get(label, "none")


def score_bars(rows: Sequence[tuple[str, float | None, str]], big: bool = False) -> str:
    """Horizontal bars: (name, score 0–100 or None for 不足, level label)."""
    bars = []
    for name, score, level in rows:
        shown = whole(score)
        bars.append(
            {
                "name": name,
                "level": level_class(level),
                "width": 0 if shown is None else max(shown, 2),
                "value": "不足" if shown is None else f"{shown}",
            }
        )
    return render("assess_score_bars.html", bars=bars, big=big)


def result_card(result: Result, title: str, closed: bool = False) -> str:
    """The participant's own result: index, level, dimension bars, suggestions.

    ``closed``: the session has ended; the result is shown read-only.
    """
    index = whole(result.index)
    bars = score_bars([(d.name, d.score, d.level) for d in result.dimensions])
    return render(
        "assess_result_card.html",
        closed=closed,
        title=title,
        level_class=level_class(result.level),
        index="不足" if index is None else str(index),
        level=result.level,
        bars=trusted(bars),
        gain=None if result.gain is None else whole(result.gain),
        suggestions=result.suggestions,
        weakest=[d.name for d in result.weakest],
        scored=result.index is not None,
    )


def message_page(title: str, message: str) -> str:
    return render("assess_message.html", title=title, message=message)


def progress_bar(answered: int, total: int) -> str:
    share = 100 if not total else round(answered * 100 / total)
    return render("assess_progress.html", answered=answered, total=total, share=share)


def qr_svg(url: str, scale: int = 6) -> str:
    """An inline SVG QR code of ``url`` (segno, offline), sized by CSS (a viewBox, no size)."""
    import segno

    code = segno.make(url, error="m")
    return code.svg_inline(scale=scale, border=2, dark="#1f2329", omitsize=True)


def heat_map(
    rows: Sequence[tuple[str, str, Sequence[int], int]], labels: Sequence[str], unknown: str
) -> str:
    """Item × answer table shaded by share: (number, text, counts 1..5, 不清楚)."""
    shaded = []
    for number, text, counts, unknown_count in rows:
        total = sum(counts) + unknown_count
        cells = [
            {"count": count, "share": count / total if total else 0}
            for count in [*counts, unknown_count]
        ]
        shaded.append({"number": number, "text": text, "cells": cells})
    return render("assess_heat_map.html", rows=shaded, labels=[*labels, unknown])
