"""HTML pieces of the 自评 pages: score bars, the result card, the QR code, item heat map.

Charts are plain HTML/CSS (no altair: the participant kernel must stay small).
Every piece of text is escaped here; styles live in static/jianfu.css
(classes prefixed ``jf-assess`` / ``jf-dash``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from jianfu.assess.scoring import Result, whole

LEVEL_CLASSES = {"负担较轻": "good", "负担一般": "fair", "负担较重": "poor", "负担很重": "bad"}


def esc(text: object) -> str:
    return html.escape(str(text))


def level_class(label: str) -> str:
    return LEVEL_CLASSES.get(label, "none")


def score_bars(rows: Sequence[tuple[str, float | None, str]], big: bool = False) -> str:
    """Horizontal bars: (name, score 0–100 or None for 不足, level label)."""
    parts = []
    for name, score, level in rows:
        shown = whole(score)
        width = 0 if shown is None else max(shown, 2)
        value = "不足" if shown is None else f"{shown}"
        parts.append(
            f'<div class="jf-assess-bar-row jf-level-{level_class(level)}">'
            f'<div class="jf-assess-bar-name">{esc(name)}</div>'
            f'<div class="jf-assess-bar-track"><div class="jf-assess-bar" style="width:{width}%"></div></div>'
            f'<div class="jf-assess-bar-value">{esc(value)}</div></div>'
        )
    size = " jf-assess-bars-big" if big else ""
    return f'<div class="jf-assess-bars{size}">{"".join(parts)}</div>'


def result_card(result: Result, title: str, closed: bool = False) -> str:
    """The participant's own result: index, level, dimension bars, suggestions.

    ``closed``: the session has ended; the result is shown read-only.
    """
    index = whole(result.index)
    index_text = "不足" if index is None else str(index)
    done = "已提交，感谢参与！"
    if closed:
        done = "本场自评已结束收集。以下是您提交的结果，不能再修改。"
    parts = [
        '<div class="jf-assess-result" role="status">',
        f'<div class="jf-assess-done{" jf-assess-closed" if closed else ""}">{done}</div>',
        f'<div class="jf-assess-caption">{esc(title)} · 我的结果</div>',
        f'<div class="jf-assess-index jf-level-{level_class(result.level)}">'
        f'<span class="jf-assess-index-label">减负指数</span>'
        f'<span class="jf-assess-index-value">{esc(index_text)}</span>'
        f'<span class="jf-assess-index-level">{esc(result.level)}</span></div>',
        '<p class="jf-assess-note">分数0—100，越高表示负担越轻；“不足”表示该方面作答太少，未计分。</p>',
        score_bars([(d.name, d.score, d.level) for d in result.dimensions]),
    ]
    if result.gain is not None:
        parts.append(
            f'<p class="jf-assess-gain">获得感指数：<b>{whole(result.gain)}</b>（满分100）</p>'
        )
    if result.suggestions:
        weakest = "、".join(esc(d.name) for d in result.weakest)
        items = "".join(
            f"<li><b>{esc(s.dimension)}</b>：{esc(s.text)}</li>" for s in result.suggestions
        )
        parts.append(
            f'<div class="jf-assess-suggest"><div class="jf-assess-suggest-head">'
            f"负担相对较重的方面：{weakest}。可以这样改进：</div><ul>{items}</ul></div>"
        )
    elif result.index is not None:
        parts.append('<p class="jf-assess-note">各方面负担都较轻，请继续保持。</p>')
    keep = "" if closed else "主持人结束本场之前，您可以修改答案。"
    parts.append(f'<p class="jf-assess-note">答卷匿名保存，不记录姓名和设备。{keep}</p></div>')
    return "".join(parts)


def message_page(title: str, message: str) -> str:
    return (
        f'<div class="jf-assess-message" role="alert"><h2>{esc(title)}</h2>'
        f"<p>{esc(message)}</p></div>"
    )


def progress_bar(answered: int, total: int) -> str:
    share = 100 if not total else round(answered * 100 / total)
    return (
        f'<div class="jf-assess-progress" role="progressbar" aria-valuenow="{answered}" '
        f'aria-valuemin="0" aria-valuemax="{total}">'
        f'<div class="jf-assess-progress-text">必答题已答 <b>{answered}</b> / {total}</div>'
        f'<div class="jf-assess-progress-track"><div style="width:{share}%"></div></div></div>'
    )


def qr_svg(url: str, scale: int = 6) -> str:
    """An inline SVG QR code of ``url`` (segno, offline), sized by CSS (a viewBox, no size)."""
    import segno

    code = segno.make(url, error="m")
    return code.svg_inline(scale=scale, border=2, dark="#1f2329", omitsize=True)


def heat_map(
    rows: Sequence[tuple[str, str, Sequence[int], int]], labels: Sequence[str], unknown: str
) -> str:
    """Item × answer table shaded by share: (number, text, counts 1..5, 不清楚)."""
    head = "".join(f"<th>{esc(label)}</th>" for label in [*labels, unknown])
    body = []
    for number, text, counts, unknown_count in rows:
        total = sum(counts) + unknown_count
        cells = []
        for count in [*counts, unknown_count]:
            share = count / total if total else 0
            cells.append(
                f'<td style="background:rgba(183,49,44,{share * 0.85:.2f});'
                f'color:{"#fff" if share > 0.5 else "#1f2329"}">{count}</td>'
            )
        body.append(
            f'<tr><th class="jf-dash-heat-item">{esc(number)}. {esc(text)}</th>{"".join(cells)}</tr>'
        )
    return (
        '<table class="jf-dash-heat"><thead><tr><th>题目</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
