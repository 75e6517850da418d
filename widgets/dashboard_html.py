"""HTML of the 自评汇总 dashboard: results for the facilitator's page, and the projector screen.

Everything shown is a jianfu.assess aggregate; which groups may show results is
the session's Disclosure (fewer than five, or a group that would give away
such a group by subtraction, shows its size only). Only released comments
appear. Every piece of text is escaped here; styles in static/jianfu.css
(``jf-dash`` for the page, ``jf-proj`` for the projector).
"""

from __future__ import annotations

from jianfu.assess.aggregate import (
    MIN_GROUP,
    Filters,
    GroupRow,
    Summary,
    breakdown,
    round_comparison,
    select,
)
from jianfu.assess.disclosure import DERIVABLE, Disclosure
from jianfu.assess.questionnaire import Questionnaire
from jianfu.assess.store import Response, Session
from jianfu.numbers.format import fmt_number

from .assess_html import esc, heat_map, level_class, qr_svg, score_bars

PROJECTOR_PROBLEMS = 5
PROJECTOR_COMMENTS = 3
DERIVED_ROW = "与其他分组相减可推算出不足5人的结果，不单独显示"
SMALL_ROW = f"不足{MIN_GROUP}人，不单独显示"


def wait_message(s: Summary) -> str:
    """What shows instead of results, and why."""
    if s.withheld == DERIVABLE:
        return (
            f"已提交{s.n}份。这一组与其他已显示的分组相减，可推算出不足{MIN_GROUP}人的结果，"
            "为保护匿名，暂不显示。"
        )
    return f"已提交{s.n}份。满{MIN_GROUP}份后显示结果（人数太少时不显示，以免推测出个人的答案）。"


def address_html(url: str) -> str:
    """The address, breakable only before its session code (never inside it)."""
    base, _, code = url.partition("?")
    tail = f'<wbr><span class="jf-proj-code">?{esc(code)}</span>' if code else ""
    return f'<span class="jf-proj-base">{esc(base)}</span>{tail}'


def link_html(session: Session, url: str) -> str:
    state = "收集中" if session.is_open else "已结束"
    return (
        f'<div class="jf-dash-link"><div class="jf-dash-qr">{qr_svg(url)}</div>'
        f'<div><div class="jf-dash-session">{esc(session.title)}</div>'
        f'<div class="jf-dash-url">{address_html(url)}</div>'
        f'<div class="jf-dash-state">第{session.round}轮 · {state}</div></div></div>'
    )


def count_html(submitted: int, answering: int) -> str:
    return (
        f'<div class="jf-dash-count"><span class="jf-dash-count-n">{submitted}</span>'
        f'<span class="jf-dash-count-label">份已提交</span>'
        f'<span class="jf-dash-answering">{answering}人正在作答</span></div>'
    )


def kpis_html(form: Questionnaire, s: Summary) -> str:
    index = "不足" if s.index is None else fmt_number(s.index, 0)
    level = form.level(s.index)
    return (
        f'<div class="jf-dash-kpis"><div class="jf-dash-kpi jf-level-{level_class(level)}">'
        f"<span>减负指数</span><b>{esc(index)}</b><em>{esc(level)}</em></div>"
        f'<div class="jf-dash-kpi"><span>总体负担感</span>'
        f"<b>{esc(fmt_number(s.overall, 1))}</b><em>0—10，越高越重</em></div>"
        f'<div class="jf-dash-kpi"><span>获得感指数</span><b>{esc(fmt_number(s.gain, 0))}</b>'
        "<em>满分100</em></div></div>"
    )


def problems_html(s: Summary, limit: int | None = None) -> str:
    shown = s.problems[:limit] if limit else s.problems
    if not shown:
        return ""
    top = shown[0][1]
    rows = "".join(
        f'<div class="jf-assess-bar-row"><div class="jf-assess-bar-name">{esc(name)}</div>'
        f'<div class="jf-assess-bar-track"><div class="jf-assess-bar jf-dash-problem" '
        f'style="width:{count * 100 // top}%"></div></div>'
        f'<div class="jf-assess-bar-value">{count}</div></div>'
        for name, count in shown
    )
    return (
        "<h3>最突出的问题（选择人次）</h3>"
        f'<div class="jf-assess-bars jf-dash-problems">{rows}</div>'
    )


def comments_html(s: Summary, limit: int | None = None) -> str:
    shown = [c for c in s.comments if c.shown]
    if not shown:
        return ""
    listed = shown[-limit:] if limit else shown  # the projector: the latest released
    items = "".join(f"<li>{esc(c.text)}</li>" for c in listed)
    return f'<h3>意见建议（{len(shown)}条）</h3><ul class="jf-dash-comments">{items}</ul>'


def results_html(
    form: Questionnaire,
    s: Summary,
    submitted: list[Response],
    filters: Filters,
    disclosure: Disclosure,
) -> str:
    """The facilitator's page: everything, with withheld groups as counts only."""
    if s.suppressed:
        return f'<div class="jf-dash-wait">{esc(wait_message(s))}</div>'
    parts = [
        '<div class="jf-dash-results">',
        mismatch_html(s),
        kpis_html(form, s),
        "<h3>各方面得分（0—100，越高负担越轻）</h3>",
        score_bars([(d.name, d.mean, form.level(d.mean)) for d in s.dimensions], big=True),
    ]
    weakest = s.weakest[:3]
    if weakest:
        names = "、".join(f"{esc(d.name)}（{fmt_number(d.mean, 0)}分）" for d in weakest)
        parts.append(f'<p class="jf-dash-weak">负担最重的方面：<b>{names}</b></p>')
    parts.append(problems_html(s))
    parts.append(_distribution_html(form, s))
    parts.append("<h3>各题作答分布</h3>")
    parts.append(
        heat_map(
            [(str(n), i.text, i.counts, i.unknown) for n, i in enumerate(s.items, 1)],
            form.scale.labels,
            form.unknown_label,
        )
    )
    parts.append(comments_html(s))
    for label, rows in _tables(form, submitted, filters, disclosure):
        parts.append(_group_table(label, form, rows))
    parts.append("</div>")
    return "".join(parts)


def mismatch_html(s: Summary) -> str:
    """Answers the current form no longer has: said, not dropped."""
    if not s.mismatches:
        return ""
    items = "".join(f"<li>{esc(str(m))}</li>" for m in s.mismatches)
    return (
        '<div class="jianfu-message jianfu-info jf-dash-mismatch" role="status">'
        "问卷修改过：下列作答与现在的问卷不符，未计入结果（数据库中仍保留）。"
        f"<ul>{items}</ul></div>"
    )


def projector_html(
    form: Questionnaire,
    session: Session,
    url: str,
    s: Summary,
    answering: int,
) -> str:
    """The room's screen: QR code, address and count beside the main results, no scrolling."""
    state = "收集中" if session.is_open else "已结束收集"
    side = (
        '<div class="jf-proj-side">'
        f'<div class="jf-proj-title">{esc(session.title)}</div>'
        f'<div class="jf-proj-qr">{qr_svg(url)}</div>'
        f'<div class="jf-proj-url">{address_html(url)}</div>'
        '<div class="jf-proj-count">'
        f'<span class="jf-proj-count-n">{s.n}</span>'
        '<span class="jf-proj-count-label">份已提交</span></div>'
        f'<div class="jf-proj-state">第{session.round}轮 · {state}'
        + (f" · {answering}人正在作答" if session.is_open else "")
        + "</div></div>"
    )
    if session.results_hidden:
        main = '<div class="jf-proj-wait">扫码参加，作答结束后揭晓结果</div>'
    elif s.suppressed:
        main = f'<div class="jf-proj-wait">{esc(wait_message(s))}</div>'
    else:
        bars = score_bars([(d.name, d.mean, form.level(d.mean)) for d in s.dimensions])
        main = (
            '<div class="jf-proj-main">'
            f'<div class="jf-proj-col">{kpis_html(form, s)}'
            f"<h3>各方面得分（越高负担越轻）</h3>{bars}</div>"
            f'<div class="jf-proj-col">{problems_html(s, PROJECTOR_PROBLEMS)}'
            f"{comments_html(s, PROJECTOR_COMMENTS)}</div></div>"
        )
    return f'<div class="jf-proj">{side}{main}</div>'


def _tables(form, submitted, filters: Filters, disclosure: Disclosure):
    base = select(submitted, Filters(round=filters.round))
    tables = []
    rounds = round_comparison(form, submitted, disclosure=disclosure)
    if filters.round is None:
        tables.append(("按轮次对比", rounds))
    elif len(rounds) > 1:
        tables.append(("各轮对比", rounds))
    for by, label in (("role", "按岗位类别"), ("unit", "按单位")):
        rows = breakdown(form, base, by, disclosure=disclosure)
        if len(rows) > 1 or (rows and rows[0].group != "未填写"):
            tables.append((label, rows))
    return tables


def _distribution_html(form: Questionnaire, s: Summary) -> str:
    labels = [label for _, label in form.levels] + ["不足"]
    head = "".join(f"<th>{esc(label)}</th>" for label in labels)
    rows = "".join(
        f"<tr><th>{esc(d.name)}</th>"
        + "".join(f"<td>{d.levels.get(label, 0)}</td>" for label in labels)
        + "</tr>"
        for d in s.dimensions
    )
    return (
        "<h3>各方面的评价分布（人数）</h3>"
        f'<table class="jf-dash-table"><thead><tr><th>方面</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _group_table(title: str, form: Questionnaire, rows: list[GroupRow]) -> str:
    head = "".join(f"<th>{esc(d.name)}</th>" for d in form.dimensions)
    body = []
    for row in rows:
        if row.suppressed:
            why = DERIVED_ROW if row.withheld == DERIVABLE else SMALL_ROW
            body.append(
                f"<tr><th>{esc(row.group)}</th><td>{row.n}</td>"
                f'<td colspan="{len(form.dimensions) + 1}" class="jf-dash-small">{why}</td></tr>'
            )
            continue
        cells = "".join(
            f"<td>{esc(fmt_number(row.dimensions.get(d.key), 0))}</td>" for d in form.dimensions
        )
        body.append(
            f"<tr><th>{esc(row.group)}</th><td>{row.n}</td>"
            f"<td>{esc(fmt_number(row.index, 0))}</td>{cells}</tr>"
        )
    return (
        f'<h3>{esc(title)}</h3><table class="jf-dash-table"><thead><tr><th>分组</th>'
        f"<th>人数</th><th>减负指数</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
